"""Apple Health exports (``export.zip``, or its ``apple_health_export/export.xml``): the
Apple Watch *stand hours* as a **proxy** for sitting. Apple records no sitting time.

This module owns telling an Apple export apart (``is_apple_export``, ``is_apple_head``,
``export_member``) and reading it (``read_apple``). Only
``HKCategoryTypeIdentifierAppleStandHour`` records are used: each says, for one clock
hour, whether the wearer stood and moved for a minute (``…StandHourStood``) or not
(``…StandHourIdle``). The idle hours inside the waking window are the day's sitting
hours, of source kind ``device`` (the device thresholds apply). It is not a measurement
of sitting: an hour broken by one minute of standing counts as not sitting, an hour
lying still counts as sitting. A day whose waking window the watch recorded for less
than half is left unknown, with a warning naming the day. The same hour recorded twice
(two watches, a re-export) counts once; when the copies disagree, stood wins.

Local time is each record's own wall time (its dates carry their UTC offset). Exports
are often several GB, so the XML is streamed with expat straight from the file or the
zip member (never extracted, never read whole): no element tree is built, only the
stand hours are kept, so memory does not grow with the file. A broken or truncated XML
is an error with its line; the days read before the break are kept, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.parsers import expat

from runload.errors import Problem, SittingError
from runload.sitting.source import ReadContext, SourceRead, device_days, empty_days

if TYPE_CHECKING:
    from runload.sitting.probe import Probe

KIND = "apple_stand_hours"
STAND_HOUR = "HKCategoryTypeIdentifierAppleStandHour"
STOOD = "HKCategoryValueAppleStandHourStood"
IDLE = "HKCategoryValueAppleStandHourIdle"
MIN_COVER = 0.5  # the watch must have recorded this share of the waking window
EXPORT_NAMES = ("apple_health_export/export.xml", "export.xml")
CHUNK = 1 << 16  # bytes handed to the parser at a time (expat copies each: keep it small)

# The XML declaration, then Apple's DOCTYPE (with an internal subset) or the root itself.
_HEAD = re.compile(rb"<!DOCTYPE\s+HealthData\b|<HealthData\b")


def is_apple_head(head: bytes) -> bool:
    """The first bytes of a file are those of an Apple Health ``export.xml``."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] == b"<" and _HEAD.search(text) is not None


def export_member(path: Path) -> str | None:
    """The ``export.xml`` member of an Apple Health ``export.zip`` (read from its list of
    members only), or None when ``path`` is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.lower(): n for n in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return next((names[n] for n in EXPORT_NAMES if n in names), None)


def is_apple_export(path: Path) -> bool:
    """``path`` is an Apple Health export: a zip holding ``apple_health_export/export.xml``
    (or ``export.xml`` at its top), or an XML file whose first bytes show ``<HealthData``."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head[:4] == b"PK\x03\x04":
        return export_member(path) is not None
    return is_apple_head(head)


# ---- reading ---------------------------------------------------------------------------


class _StandHours:
    """The stand hours of one export as the parser meets them: UTC start (epoch seconds)
    → [local wall start, seconds, stood]."""

    def __init__(self, name: str, parser: expat.XMLParserType) -> None:
        self.name = name
        self.parser = parser
        self.hours: dict[int, list] = {}
        self.bad = 0
        self.first_bad: tuple[str, int] | None = None  # why, line

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag != "Record" or attrs.get("type") != STAND_HOUR:
            return
        try:
            start = _apple_time(attrs["startDate"])
            end = _apple_time(attrs["endDate"])
            value = attrs["value"]
            if value not in (STOOD, IDLE):
                raise ValueError(f'value "{value}"')
            seconds = int((end - start).total_seconds())
            if not 0 < seconds <= 2 * 3600:
                raise ValueError(f"{attrs['startDate']} to {attrs['endDate']}")
        except (KeyError, ValueError) as exc:
            self._bad(exc)
            return
        key = int(start.timestamp())
        stood = value == STOOD
        kept = self.hours.get(key)
        if kept is None:
            self.hours[key] = [start.replace(tzinfo=None), seconds, stood]
        elif stood:
            kept[2] = True

    def _bad(self, exc: Exception) -> None:
        self.bad += 1
        if self.first_bad is None:
            why = f"no {exc.args[0]}" if isinstance(exc, KeyError) else str(exc)
            self.first_bad = (why, self.parser.CurrentLineNumber)

    def bad_problem(self) -> Problem | None:
        """One warning for the stand-hour records that could not be used, at the first."""
        if self.first_bad is None:
            return None
        why, line = self.first_bad
        more = f" (and {self.bad - 1} more)" if self.bad > 1 else ""
        msg = f"a stand-hour record cannot be used ({why}){more}; skipped"
        return Problem(self.name, "warning", msg, line, code="apple.bad_record")


def _apple_time(text: str) -> dt.datetime:
    """``2026-03-02 09:00:00 +0100`` (Apple's form) as an aware datetime."""
    value = dt.datetime.fromisoformat(text.replace(" +", "+").replace(" -", "-"))
    if value.tzinfo is None:
        raise ValueError(f'date "{text}" has no UTC offset')
    return value


@contextmanager
def _open_export(path: Path, member: str | None) -> Iterator[IO[bytes]]:
    if member is None:
        with path.open("rb") as fh:
            yield fh
    else:
        with zipfile.ZipFile(path) as archive, archive.open(member) as fh:
            yield fh


_TRUNCATED = {
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
}


def _parse(fh: IO[bytes], name: str, parser: expat.XMLParserType) -> Problem | None:
    """Feed ``fh`` to ``parser``; the error that stopped it (with its line), or None."""
    try:
        while chunk := fh.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        what = expat.ErrorString(exc.code)
        cut = " (is the file cut short?)" if exc.code in _TRUNCATED else ""
        msg = f"broken XML: {what} at column {exc.offset + 1}{cut}"
        return Problem(name, "error", msg, exc.lineno, code="apple.xml")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        why = f"the zip archive is damaged ({exc})"
        return Problem(name, "error", why, code="apple.unreadable")
    except OSError as exc:
        why = f"cannot be read: {exc.strerror or exc}"
        return Problem(name, "error", why, code="apple.unreadable")
    return None


def read_apple(path: Path, ctx: ReadContext) -> SourceRead:
    """Idle stand hours inside the waking window, per local day, of an Apple Health
    ``export.xml`` or ``export.zip``: the sitting proxy (see the module docstring)."""
    member = export_member(path) if zipfile.is_zipfile(path) else None
    name = f"{path}:{member}" if member else str(path)
    parser = expat.ParserCreate()
    hours = _StandHours(name, parser)
    parser.StartElementHandler = hours.start
    problems: list[Problem] = []
    try:
        with _open_export(path, member) as fh:
            broken = _parse(fh, name, parser)
    except (zipfile.BadZipFile, OSError) as exc:
        broken = Problem(name, "error", f"cannot be read: {exc}", code="apple.unreadable")
    if broken is not None:
        problems.append(broken)
    if (bad := hours.bad_problem()) is not None:
        problems.append(bad)
    if not hours.hours:
        if broken is None:
            problems.append(
                Problem(
                    name,
                    "warning",
                    f"the export has no Apple Watch stand hours ({STAND_HOUR}): "
                    "no sitting read from it",
                    code="apple.no_stand_hours",
                )
            )
        return SourceRead(KIND, empty_days(), problems)
    read = _days(hours.hours.values(), ctx, name)
    problems.extend(read.problems)
    if broken is not None:
        problems.append(
            Problem(
                name,
                "warning",
                f"{len(read.dates)} day(s) of stand hours read before the break are kept; "
                "records after it are missing",
                code="apple.cut_short",
            )
        )
    days = device_days(
        read.dates, read.idle_hours, name, longest_sit_minutes=read.longest, sit_breaks=read.breaks
    )
    return SourceRead(KIND, days, problems)


def read_file(probe: Probe, ctx: ReadContext) -> SourceRead:
    """The reader of ``detect``'s kind ``apple_stand_hours`` (a file on disk: an export of
    several GB is streamed from it, never held as a zip member's bytes)."""
    if probe.path is None:
        raise SittingError("an Apple Health export inside another archive is not read; unzip it")
    return read_apple(probe.path, ctx)


# ---- hours → days ----------------------------------------------------------------------


def _span_text(seconds: float) -> str:
    if seconds == 0:
        return "none"
    return f"only {seconds / 3600:.1f} h" if seconds >= 360 else f"only {seconds / 60:.0f} min"


def _bouts(segments: list[tuple[dt.datetime, dt.datetime, bool]]) -> tuple[float, int]:
    """The longest run of idle hours one after the other (minutes) and how many idle runs a
    stood hour ended, from one day's (start, end, stood) inside the waking window. An idle
    hour is a proxy: no minute of standing in that clock hour."""
    longest, breaks, run = 0.0, 0, 0.0
    last_end: dt.datetime | None = None
    for start, end, stood in sorted(segments):
        joined = last_end is not None and start == last_end
        if stood:
            if run > 0 and joined:
                breaks += 1
            run = 0.0
        else:
            run = (run if joined else 0.0) + (end - start).total_seconds() / 60
            longest = max(longest, run)
        last_end = end
    return longest, breaks


@dataclass
class _AppleDays:
    dates: list[dt.date] = field(default_factory=list)
    idle_hours: list[float] = field(default_factory=list)
    longest: list[float | None] = field(default_factory=list)
    breaks: list[int | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _days(records: Iterable[list], ctx: ReadContext, name: str) -> _AppleDays:
    """Per local day: idle and recorded seconds inside the waking window, and the longest
    run of idle hours with the stood hours that broke one. Days recorded for less than
    ``MIN_COVER`` of the window are left out, each with a warning."""
    w0, w1 = ctx.waking
    idle: dict[dt.date, float] = {}
    recorded: dict[dt.date, float] = {}
    segments: dict[dt.date, list[tuple[dt.datetime, dt.datetime, bool]]] = {}
    for local_start, seconds, stood in records:
        local_end = local_start + dt.timedelta(seconds=seconds)
        day = local_start.date()
        while True:
            ws, we = dt.datetime.combine(day, w0), dt.datetime.combine(day, w1)
            s0, s1 = max(local_start, ws), min(local_end, we)
            inside = max(0.0, (s1 - s0).total_seconds())
            recorded[day] = recorded.get(day, 0.0) + inside
            if inside > 0:
                segments.setdefault(day, []).append((s0, s1, bool(stood)))
            if not stood:
                idle[day] = idle.get(day, 0.0) + inside
            day += dt.timedelta(days=1)
            if dt.datetime.combine(day, dt.time()) >= local_end:
                break
    window_s = ctx.waking_hours * 3600
    out = _AppleDays()
    for day in sorted(recorded):
        if recorded[day] >= MIN_COVER * window_s:
            longest, breaks = _bouts(segments.get(day, []))
            out.dates.append(day)
            out.idle_hours.append(idle.get(day, 0.0) / 3600)
            out.longest.append(longest)
            out.breaks.append(breaks)
        else:
            out.problems.append(
                Problem(
                    name,
                    "warning",
                    f"{day}: Apple Watch stand hours cover {_span_text(recorded[day])} of the "
                    f"{w0:%H:%M}–{w1:%H:%M} waking window; left unknown",
                    code="apple.coverage",
                )
            )
    return out
