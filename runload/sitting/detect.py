"""Telling sitting sources apart by content: the ``Probe`` of one file, the dispatch table
``DETECTORS`` (kind → does this file look like it), ``detect`` and, for a file that is
none of them, ``unsupported_message`` naming what is supported.

Kinds: the manual log (CSV or JSON), Garmin usersummary JSON (one object, a list, or the
``UDSFile_*.json`` arrays of Garmin's account export), Garmin ``monitoring_b`` FIT files,
Fitbit Takeout ``sedentary_minutes-*.json`` and ``resting_heart_rate-*.json`` (also under
their plain names, ``sedentary_minutes.json``) and Fitbit daily activity CSVs, Apple Health
``export.zip``/``export.xml`` (``apple``); a Google Fit CSV is recognised only to say why
it is not used. Only the first bytes and the ``file_id`` of a FIT file are read to tell a
monitoring file from an activity file, so a folder of activities is skipped quickly and
silently; an XML file (an Apple export of several GB) and a zip are never read whole as
text: their first bytes, or a zip's list of members, tell them apart. A probe is a file
on disk or bytes with a display name (a zip member: ``runload.sitting.archive``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from runload import jsontext
from runload.errors import SittingError, path_text
from runload.sitting import apple
from runload.sitting.log import has_log_columns
from runload.sitting.text import (
    TOO_DEEP,
    Table,
    column_name,
    json_items,
    looks_like_json,
    read_table,
    read_text,
    table_header,
    utf16_of,
)

SUPPORTED = (
    "supported: a sitting log (CSV or JSON with date and sitting_hours), "
    "Garmin usersummary JSON (also UDSFile_*.json), Garmin monitoring FIT files, "
    "Fitbit sedentary_minutes-*.json and resting_heart_rate-*.json, Fitbit daily activity CSV "
    "(ActivityDate, SedentaryMinutes), Apple Health export.zip or export.xml (stand hours)"
)

FITBIT_DAILY_COLUMNS = frozenset({"activitydate", "sedentaryminutes"})


class Probe:
    """A source looked at lazily: its first bytes, then (only if needed) its text, JSON or
    CSV header. Detectors share one probe so each source is read once.

    ``Probe(path)`` is a file on disk; ``Probe.of_bytes(data, name)`` a zip member (or
    any bytes) shown as ``name``, e.g. ``export.zip:DI_CONNECT/.../UDSFile_1.json``,
    the convention of ``runload.inputs``. ``path`` is None for bytes; ``basename`` is
    the last part of the file or member name either way."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path: Path | None = path
        self.name = name or path_text(path) or ""
        self.basename = path.name
        self._data: bytes | None = None
        self.decode_error: SittingError | None = None  # why ``text`` is None, if known
        self.decode_warning: SittingError | None = None  # how ``text`` was read, if not UTF-8
        self.too_deep = False  # JSON nested too deeply to parse
        self.json_error: SittingError | None = None  # JSON with a value it cannot hold
        with path.open("rb") as fh:
            self.head = fh.read(4096)

    @classmethod
    def of_bytes(cls, data: bytes, name: str, basename: str | None = None) -> Probe:
        probe = cls.__new__(cls)
        probe.path = None
        probe.name = name
        probe.basename = basename or PurePosixPath(name.rsplit(":", 1)[-1]).name
        probe._data = data
        probe.decode_error = None
        probe.decode_warning = None
        probe.too_deep = False
        probe.json_error = None
        probe.head = data[:4096]
        return probe

    def data(self) -> bytes:
        """All the bytes (read from disk for a file, each time: the readers read once)."""
        if self._data is not None:
            return self._data
        assert self.path is not None
        return self.path.read_bytes()

    @property
    def is_zip(self) -> bool:
        return self.head[:4] == b"PK\x03\x04"

    @property
    def is_fit(self) -> bool:
        return len(self.head) >= 12 and self.head[8:12] == b".FIT"

    @property
    def is_xml(self) -> bool:
        """XML (an Apple Health export, a GPX...): never read whole as text to detect it."""
        return self.head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"

    @cached_property
    def text(self) -> str | None:
        """The text (UTF-8, UTF-16 or Windows-1252: ``text.read_text``; ``decode_warning``
        says when it was not plain UTF-8); None for what is not text."""
        if self.is_fit or self.is_zip or self.is_xml:
            return None
        if b"\x00" in self.head and utf16_of(self.head) is None:
            return None
        try:
            text, self.decode_warning = read_text(self.data(), self.name)
        except SittingError as exc:
            self.decode_error = exc
            return None
        return text

    @cached_property
    def json(self) -> Any:
        if self.text is None or not looks_like_json(self.text):
            return None
        try:
            return jsontext.loads(self.text)
        except jsontext.NumberTooLongError as exc:  # a file it is, but not one to read
            self.json_error = SittingError(
                f"holds {exc.msg}: not read", path=self.name, line=exc.lineno, code="json.number"
            )
            return None
        except json.JSONDecodeError:
            return None
        except RecursionError:
            self.too_deep = True
            return None

    @property
    def unreadable_json(self) -> bool:
        """JSON that cannot be read to tell what it is (nested too deeply, a number too
        long): read as a source anyway, it is one problem naming the file."""
        return self.json is None and (self.too_deep or self.json_error is not None)

    @cached_property
    def csv_columns(self) -> list[str]:
        """The header row of a table as written (trimmed, lower case): for messages. Empty
        for JSON and for what is not text."""
        if self.text is None or looks_like_json(self.text):
            return []
        header = table_header(self.text, _known_table)
        return [c.strip().lstrip("\ufeff").strip().lower() for c in header]

    @cached_property
    def csv_names(self) -> list[str]:
        """The header row as ``column_name``s: for telling kinds apart."""
        return [column_name(c) for c in self.csv_columns]

    @cached_property
    def table(self) -> Table:
        """The whole table, split as its header was (for the reader of its kind)."""
        return read_table(self.text or "", _known_table)

    @cached_property
    def fit_type(self) -> str | None:
        """``file_id.type`` of a FIT file (``monitoring_b``, ``activity``...), or None."""
        if not self.is_fit:
            return None
        from runload.fit import file_type

        return file_type(self.head)

    @cached_property
    def json_items(self) -> list[tuple[int | None, Any]]:
        """The day objects with the line each starts on (None when not known)."""
        if self.json is None:
            return []
        try:
            return list(json_items(self.text or ""))
        except (json.JSONDecodeError, ValueError):
            return [(None, obj) for obj in self.json_objects()]

    def json_objects(self) -> list[Any]:
        data = self.json
        if isinstance(data, dict):
            return [data]
        return data if isinstance(data, list) else []


def _known_table(names: list[str]) -> bool:
    """A header with the columns of a table runload reads (a log, a Fitbit daily CSV)."""
    return has_log_columns(names) or set(names) >= FITBIT_DAILY_COLUMNS


def _first_dict(items: list[Any]) -> dict[str, Any]:
    return next((x for x in items if isinstance(x, dict)), {})


def _is_garmin_summary(p: Probe) -> bool:
    """Day objects with ``calendarDate`` of which at least one has ``sedentarySeconds``
    (a UDSFile may start with days the watch was not worn, without it)."""
    objects = [x for x in p.json_objects() if isinstance(x, dict)]
    return (
        bool(objects)
        and "calendarDate" in objects[0]
        and any("sedentarySeconds" in x for x in objects)
    )


def _is_fitbit_series(p: Probe) -> bool:
    first = _first_dict(p.json_objects())
    return isinstance(p.json, list) and {"dateTime", "value"} <= set(first)


def _is_fitbit_sedentary(p: Probe) -> bool:
    return _is_fitbit_series(p) and p.basename.lower().startswith("sedentary_minutes")


def _is_fitbit_resting(p: Probe) -> bool:
    return _is_fitbit_series(p) and p.basename.lower().startswith("resting_heart_rate")


def _is_manual_json(p: Probe) -> bool:
    items = p.json_objects()
    return bool(items) and "date" in {str(k).lower() for k in _first_dict(items)}


def _is_fitbit_daily_csv(p: Probe) -> bool:
    return set(p.csv_names) >= FITBIT_DAILY_COLUMNS


def _is_googlefit_csv(p: Probe) -> bool:
    return "inactive duration (ms)" in p.csv_columns


def _is_manual_csv(p: Probe) -> bool:
    return "date" in p.csv_names


def _is_apple_export(p: Probe) -> bool:
    """From the first bytes of an XML file, or the member list of a zip (apple.py)."""
    if p.is_zip:
        return apple.export_member(p.path) is not None
    return p.is_xml and apple.is_apple_head(p.head)


def _is_monitoring_fit(p: Probe) -> bool:
    return p.is_fit and p.fit_type == "monitoring_b"


# Order matters: the first detector that says yes names the kind.
# Apple exports come first: later detectors read a file's text.
DETECTORS: list[tuple[str, Callable[[Probe], bool]]] = [
    ("apple_stand_hours", _is_apple_export),
    ("garmin_monitoring", _is_monitoring_fit),
    ("garmin_summary", _is_garmin_summary),
    ("fitbit_sedentary_json", _is_fitbit_sedentary),
    ("fitbit_resting_hr_json", _is_fitbit_resting),
    ("manual_json", _is_manual_json),
    ("fitbit_daily_csv", _is_fitbit_daily_csv),
    ("googlefit_csv", _is_googlefit_csv),
    ("manual_csv", _is_manual_csv),
]

# Kinds that are recognised only to say why they are not used.
UNSUPPORTED_HINTS: dict[str, str] = {
    "googlefit_csv": "a Google Fit daily activity metrics CSV (its inactive time includes "
    "sleep and phone-on-desk time)",
}


# File names only sitting exports use: such a file that is not recognised is named in a
# warning (a changed export format), not skipped silently as other files of a walk are.
SITTING_NAME_PREFIXES = ("udsfile_", "sedentary_minutes", "resting_heart_rate")


def named_like_sitting(basename: str) -> bool:
    """``UDSFile_*.json`` (Garmin account export), ``sedentary_minutes-*.json`` and
    ``resting_heart_rate-*.json`` (Fitbit)."""
    lower = basename.lower()
    return lower.endswith(".json") and lower.startswith(SITTING_NAME_PREFIXES)


def detect(path: Path, *, strict: bool = False) -> str | None:
    """The kind of sitting source ``path`` is, from its content; None if not one.

    ``strict`` (folder walks): a table or JSON with a ``date`` column counts as a
    sitting log only when it also has ``sitting_hours`` or ``sitting_minutes``."""
    return detect_probe(Probe(path), strict=strict)


def detect_probe(probe: Probe, *, strict: bool = False) -> str | None:
    """``detect`` for a ``Probe`` (a file or the bytes of a zip member)."""
    kind = detect_kind(probe)
    if strict and kind in ("manual_csv", "manual_json") and not _has_hours(probe):
        return None
    return kind


def _has_hours(p: Probe) -> bool:
    keys = set(p.csv_names) | {column_name(str(k)) for k in _first_dict(p.json_objects())}
    return bool(keys & {"sitting_hours", "sitting_minutes"})


def detect_kind(probe: Probe) -> str | None:
    """The first kind in ``DETECTORS`` that ``probe`` looks like (unsupported ones too)."""
    return next((kind for kind, test in DETECTORS if test(probe)), None)


def unsupported_message(probe: Probe) -> str:
    """Why ``probe`` is not read, naming what is supported."""
    kind = detect_kind(probe)
    if kind in UNSUPPORTED_HINTS:
        what = UNSUPPORTED_HINTS[kind]
    elif probe.is_zip:
        what = "a zip archive that cannot be read"
    elif probe.is_xml:
        what = "an XML file that is not an Apple Health export.xml"
    elif probe.is_fit:
        what = (
            f"a FIT {probe.fit_type} file, not a monitoring file"
            if probe.fit_type
            else "a FIT file whose type cannot be read (no file_id; damaged?)"
        )
    elif _is_fitbit_series(probe):
        what = (
            "a Fitbit Takeout series other than sedentary_minutes-*.json and "
            "resting_heart_rate-*.json"
        )
    elif probe.text is None:
        what = probe.decode_error.message if probe.decode_error else "not text, not FIT"
    elif probe.json is None and probe.too_deep:
        what = TOO_DEEP.removeprefix("is ")
    elif probe.json is not None:
        what = "JSON without day objects runload knows"
    elif looks_like_json(probe.text):
        what = "broken JSON"
    else:
        cols = ", ".join(probe.csv_columns[:8]) or "none"
        what = f"a table without the columns runload needs (found: {cols})"
    return f"unsupported sitting source: {what}; {SUPPORTED}"
