"""Sitting sources inside zip archives: Garmin's account export ("Export your data") is a
zip of zips, with the daily summaries in ``DI_CONNECT/DI-Connect-Aggregator/UDSFile_*.json``
and FIT uploads (monitoring files among them, where present) in
``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_*.zip``.

Members are looked at in memory, never extracted (so a ``../`` name is only a name), with
the limits and bounded reads of ``runload.inputs`` (``MAX_FIT_BYTES`` per member,
``MAX_ARCHIVE_BYTES`` per zip inside a zip). A member becomes a ``Probe`` of its bytes
named ``export.zip:DI_CONNECT/.../UDSFile_1.json`` (``inner.zip`` members:
``export.zip:a/inner.zip:b.fit``), the names ingest gives FIT members. Only ``.json``,
``.csv`` and ``.fit`` members can be sitting sources: a FIT member is read whole only when
its first bytes say ``monitoring_b``; other members are skipped silently, as in a folder
walk. A member that cannot be read (too big, a broken zip inside the zip) is one problem;
the other members are still read.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from runload import inputs
from runload.errors import Problem
from runload.sitting.detect import detect_probe, named_like_sitting
from runload.sitting.probe import Probe

TEXT_SUFFIXES = (".json", ".csv")
FIT_SUFFIX = ".fit"
HEAD_BYTES = 4096  # enough for a FIT file's header and file_id (see ``Probe``)


def is_zip_file(path: Path) -> bool:
    """A ``.zip`` name, or a file that starts as a zip does."""
    if inputs.is_zip_name(path.name):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def archive_probes(path: Path, name: str) -> tuple[list[Probe], list[Problem]]:
    """The sitting sources among the members of the zip ``path`` (shown as ``name``) and of
    the zips inside it, in member order; a problem for each part that cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _members(archive, name)
    except OSError as exc:
        why = f"cannot read: {exc.strerror or exc}"
        return [], [Problem(name, "error", why, code="input.unreadable")]
    except inputs.UNPACK_ERRORS as exc:
        why = f"not a readable zip archive ({exc})"
        return [], [Problem(name, "error", why, code="zip.bad")]


def _inner(data: bytes, name: str) -> tuple[list[Probe], list[Problem]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _members(archive, name)
    except inputs.UNPACK_ERRORS as exc:
        why = f"not a readable zip archive ({exc})"
        return [], [Problem(name, "error", why, code="zip.bad")]


def _members(archive: zipfile.ZipFile, name: str) -> tuple[list[Probe], list[Problem]]:
    probes: list[Probe] = []
    problems: list[Problem] = []
    for member in sorted(i.filename for i in archive.infolist() if not i.is_dir()):
        member_name = f"{name}:{member}"
        lower = member.lower()
        if inputs.is_junk_name(member):
            continue
        if PurePosixPath(lower).parts[-2:] == ("apple_health_export", "export.xml"):
            continue  # an Apple export inside another zip: give the export.zip itself
        try:
            if inputs.is_zip_name(member):
                data = inputs.read_member(archive, member, inputs.MAX_ARCHIVE_BYTES)
                more, bad = _inner(data, member_name)
                probes += more
                problems += bad
            elif lower.endswith(FIT_SUFFIX):
                if probe := _monitoring_member(archive, member, member_name):
                    probes.append(probe)
            elif lower.endswith(TEXT_SUFFIXES):
                data = inputs.read_member(archive, member, inputs.MAX_FIT_BYTES)
                probe = Probe.of_bytes(data, member_name, PurePosixPath(member).name)
                if (
                    detect_probe(probe, strict=True)
                    or named_like_sitting(probe.basename)
                    or probe.unreadable_json
                ):
                    probes.append(probe)
        except inputs.UNPACK_ERRORS as exc:
            problems.append(Problem(member_name, "error", _why(exc, member), code=_code(exc)))
    return probes, problems


def _monitoring_member(archive: zipfile.ZipFile, member: str, name: str) -> Probe | None:
    """A FIT member as a probe when it is a monitoring file (only its head is read else)."""
    from runload.fit import file_type

    with archive.open(member) as fh:
        head = fh.read(HEAD_BYTES)
    if file_type(head) != "monitoring_b":
        return None
    data = inputs.read_member(archive, member, inputs.MAX_FIT_BYTES)
    return Probe.of_bytes(data, name, PurePosixPath(member).name)


def _code(exc: BaseException) -> str:
    """The problem code of a member that cannot be read."""
    return exc.code if isinstance(exc, inputs.SourceReadError) else "zip.bad"


def _why(exc: BaseException, member: str) -> str:
    """The problem of a member, worded as ingest words it for the same member."""
    if isinstance(exc, inputs.SourceReadError) and not inputs.is_zip_name(member):
        if str(exc) == inputs.TOO_BIG and not member.lower().endswith(FIT_SUFFIX):
            mb = inputs.MAX_FIT_BYTES / 2**20
            return f"too big for a sitting file (over {mb:.3g} MB once decompressed)"
        return str(exc)
    return f"cannot unpack it from the zip archive ({exc})"
