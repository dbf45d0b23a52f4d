"""Device sitting sources: telling them apart by content and reading each into daily
sedentary hours.

Owns the dispatch table ``DETECTORS`` (kind → does this file look like it) and
``READERS`` (kind → read it), for: the manual log (delegated to ``sitting_log``),
Garmin usersummary JSON (one object, a list, or the ``UDSFile_*.json`` arrays of
Garmin's account export), Garmin ``monitoring_b`` FIT files, Fitbit Takeout
``sedentary_minutes-*.json`` and Fitbit daily activity CSVs. Anything else is an
"unsupported sitting source" with the list of what is supported. Only the first
bytes and the ``file_id`` of a FIT file are read to tell a monitoring file from an
activity file, so a folder of activities is skipped quickly and silently.

Monitoring files are read into activity *states* (``read_monitoring_states``) and
turned into days only after every file is in (``monitoring_days``), so several
files of one day never count the same minutes twice. A state lasts until the next
state or the end of its file, cut at local midnight. The end of a file is its last
timestamp: the daily file a watch writes at midnight ends at midnight, so the last
state of the day is closed at the end of the day; a file written at a sync ends at
the sync, and its last state is not stretched to midnight over hours nobody has
measured yet (a later file, when there is one, carries on from the sync). These
files include sleep, so only the waking window (default 07:00–23:00 local) counts,
and a day whose window is less than half covered is left unknown.

Fitbit days are dropped, with a warning, when the tracker was not worn (1440
sedentary minutes, or 0 steps where steps are given) or when they are after the
export date (today). In a daily activity CSV where Very/Fairly/Lightly active and
SedentaryMinutes add up to 1440 (24 h), the tracker counted sleep as sedentary: the
hours outside the waking window (8 h by default) are taken as sleep and subtracted
from SedentaryMinutes (not below 0), and the warning gives the sum. A CSV holding
several people (``Id`` column, as Fitabase exports do) is read for the first Id only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from runload.errors import Problem, SittingError, UnsupportedSittingSourceError
from runload.schema import sitting_schema
from runload.sitting_log import (
    decode_text,
    json_items,
    looks_like_json,
    read_csv_text,
    read_json_text,
)

SUPPORTED = (
    "supported: a sitting log (CSV or JSON with date and sitting_hours), "
    "Garmin usersummary JSON (also UDSFile_*.json), Garmin monitoring FIT files, "
    "Fitbit sedentary_minutes-*.json and Fitbit daily activity CSV "
    "(ActivityDate, SedentaryMinutes)"
)

ZIP_HINT = "unzip it and give the folder: sitting files are read from folders, not archives"

FIT_EPOCH = dt.datetime(1989, 12, 31)  # naive UTC, as fitparse returns datetimes
SEDENTARY = 8  # FIT activity_type "sedentary"
MIN_COVER = 0.5  # a monitoring day must cover this share of the waking window

STATE_SCHEMA: dict[str, pl.DataType] = {
    "t": pl.Datetime("us"),  # local wall time the state began
    "activity_type": pl.Int16(),
    "source": pl.String(),
    "file_end": pl.Datetime("us"),  # local wall time of the file's last timestamp
}
RESTING_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "resting_hr": pl.Float64(),
    "source": pl.String(),
}


@dataclass
class SourceRead:
    """What one file gave."""

    kind: str
    days: pl.DataFrame  # sitting_schema()
    problems: list[Problem] = field(default_factory=list)
    resting_hr: pl.DataFrame | None = None  # RESTING_SCHEMA
    states: pl.DataFrame | None = None  # STATE_SCHEMA (monitoring files)


def empty_days() -> pl.DataFrame:
    return pl.DataFrame(schema=sitting_schema())


def device_days(dates: list[dt.date], hours: list[float], source: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "date": dates,
            "sitting_hours": hours,
            "source": [source] * len(dates),
            "source_kind": ["device"] * len(dates),
            "numbness": [None] * len(dates),
            "seat": [None] * len(dates),
        },
        schema=sitting_schema(),
    )


# ---- probing a file --------------------------------------------------------------------


class Probe:
    """A file looked at lazily: its first bytes, then (only if needed) its text, JSON or
    CSV header. Detectors share one probe so each file is read once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self.decode_error: str | None = None
        with path.open("rb") as fh:
            self.head = fh.read(4096)

    @property
    def is_zip(self) -> bool:
        return self.head[:4] == b"PK\x03\x04"

    @property
    def is_fit(self) -> bool:
        return len(self.head) >= 12 and self.head[8:12] == b".FIT"

    @cached_property
    def text(self) -> str | None:
        if self.is_fit or b"\x00" in self.head:
            return None
        try:
            return decode_text(self.path.read_bytes(), self.name)
        except SittingError as exc:
            self.decode_error = str(exc).removeprefix(f"{self.name}: ")
            return None

    @cached_property
    def json(self) -> Any:
        if self.text is None or not looks_like_json(self.text):
            return None
        try:
            return json.loads(self.text)
        except json.JSONDecodeError:
            return None

    @cached_property
    def csv_header(self) -> list[str]:
        if self.text is None or looks_like_json(self.text):
            return []
        first = next((ln for ln in self.text.splitlines() if ln.strip()), "")
        best: list[str] = []
        for d in (",", ";", "\t"):
            cols = next(csv.reader([first], delimiter=d), [])
            if len(cols) > len(best):
                best = cols
        return [c.strip().lstrip("\ufeff").strip().lower() for c in best]

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
    return _is_fitbit_series(p) and p.path.name.lower().startswith("sedentary_minutes")


def _is_manual_json(p: Probe) -> bool:
    items = p.json_objects()
    return bool(items) and "date" in {str(k).lower() for k in _first_dict(items)}


def _is_fitbit_daily_csv(p: Probe) -> bool:
    return {"activitydate", "sedentaryminutes"} <= set(p.csv_header)


def _is_googlefit_csv(p: Probe) -> bool:
    return "inactive duration (ms)" in p.csv_header


def _is_manual_csv(p: Probe) -> bool:
    return "date" in p.csv_header


def _is_monitoring_fit(p: Probe) -> bool:
    return p.is_fit and p.fit_type == "monitoring_b"


# Order matters: the first detector that says yes names the kind.
DETECTORS: list[tuple[str, Callable[[Probe], bool]]] = [
    ("garmin_monitoring", _is_monitoring_fit),
    ("garmin_summary", _is_garmin_summary),
    ("fitbit_sedentary_json", _is_fitbit_sedentary),
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


def detect(path: Path, *, strict: bool = False) -> str | None:
    """The kind of sitting source ``path`` is, from its content; None if not one.

    ``strict`` (folder walks): a table or JSON with a ``date`` column counts as a
    sitting log only when it also has ``sitting_hours`` or ``sitting_minutes``."""
    probe = Probe(path)
    kind = _detect(probe)
    if strict and kind in ("manual_csv", "manual_json") and not _has_hours(probe):
        return None
    return kind


def _has_hours(p: Probe) -> bool:
    keys = set(p.csv_header) | {str(k).lower() for k in _first_dict(p.json_objects())}
    keys = {"_".join(k.replace("-", " ").split()) for k in keys}
    return bool(keys & {"sitting_hours", "sitting_minutes"})


def _detect(probe: Probe) -> str | None:
    return next((kind for kind, test in DETECTORS if test(probe)), None)


def unsupported_message(probe: Probe) -> str:
    """Why ``probe`` is not read, naming what is supported."""
    kind = _detect(probe)
    if kind in UNSUPPORTED_HINTS:
        what = UNSUPPORTED_HINTS[kind]
    elif probe.is_zip:
        what = f"a zip archive ({ZIP_HINT})"
    elif probe.is_fit:
        what = (
            f"a FIT {probe.fit_type} file, not a monitoring file"
            if probe.fit_type
            else "a FIT file whose type cannot be read (no file_id; damaged?)"
        )
    elif _is_fitbit_series(probe):
        what = "a Fitbit Takeout series other than sedentary_minutes-*.json"
    elif probe.text is None:
        what = probe.decode_error or "not text, not FIT"
    elif probe.json is not None:
        what = "JSON without day objects runload knows"
    elif looks_like_json(probe.text):
        what = "broken JSON"
    else:
        cols = ", ".join(probe.csv_header[:8]) or "none"
        what = f"a table without the columns runload needs (found: {cols})"
    return f"unsupported sitting source: {what}; {SUPPORTED}"


# ---- readers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadContext:
    today: dt.date
    waking: tuple[dt.time, dt.time]

    @property
    def waking_hours(self) -> float:
        a, b = self.waking
        return (b.hour * 60 + b.minute - a.hour * 60 - a.minute) / 60


def _read_manual_csv(probe: Probe, ctx: ReadContext) -> SourceRead:
    log = read_csv_text(probe.text or "", probe.name)
    return SourceRead("manual_csv", log.days, log.problems)


def _read_manual_json(probe: Probe, ctx: ReadContext) -> SourceRead:
    log = read_json_text(probe.text or "", probe.name)
    return SourceRead("manual_json", log.days, log.problems)


def _garmin_date(value: Any) -> dt.date:
    if isinstance(value, dict):
        value = value.get("date")
    return dt.date.fromisoformat(str(value)[:10])


def _read_garmin_summary(probe: Probe, ctx: ReadContext) -> SourceRead:
    problems: list[Problem] = []
    dates: list[dt.date] = []
    hours: list[float] = []
    hr_rows: list[tuple[dt.date, float]] = []
    for i, (line, obj) in enumerate(probe.json_items, start=1):
        where = f"day object {i}"
        if not isinstance(obj, dict) or "calendarDate" not in obj:
            problems.append(Problem(probe.name, "error", f"{where} has no calendarDate", line))
            continue
        try:
            day = _garmin_date(obj["calendarDate"])
        except ValueError:
            msg = f'{where}: calendarDate "{obj["calendarDate"]}" is not a valid date'
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        hr = obj.get("restingHeartRate")
        if isinstance(hr, int | float) and not isinstance(hr, bool) and 20 <= hr <= 150:
            hr_rows.append((day, float(hr)))
        seconds = obj.get("sedentarySeconds")
        if obj.get("includesWellnessData") is False:  # not worn or not synced: zeros, no data
            msg = (
                f"{day}: includesWellnessData is false (the watch recorded nothing that day); "
                "left unknown"
            )
            problems.append(Problem(probe.name, "warning", msg, line))
            continue
        if seconds is None:
            msg = f"{day}: no sedentarySeconds (no wellness data that day); left unknown"
            problems.append(Problem(probe.name, "warning", msg, line))
            continue
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            msg = f'{day}: sedentarySeconds "{seconds}" is not a number'
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        if not 0 <= seconds <= 86400:
            msg = f"{day}: sedentarySeconds {seconds:g} is outside 0–86400"
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        dates.append(day)
        hours.append(seconds / 3600)
    days = device_days(dates, hours, probe.name)
    resting = pl.DataFrame(
        {
            "date": [d for d, _ in hr_rows],
            "resting_hr": [h for _, h in hr_rows],
            "source": [probe.name] * len(hr_rows),
        },
        schema=RESTING_SCHEMA,
    )
    return SourceRead("garmin_summary", days, problems, resting_hr=resting)


def _fitbit_date(text: str) -> dt.date:
    """Fitbit dates: ``04/12/2016``, ``4/13/2016`` or ``04/12/16 00:00:00`` (month first)."""
    part = text.strip().split(" ")[0]
    month, day, year = (int(x) for x in part.split("/"))
    if year < 100:
        year += 2000
    return dt.date(year, month, day)


def _keep_fitbit_day(
    path: str, day: dt.date, minutes: float, steps: float | None, ctx: ReadContext, line: int | None
) -> Problem | None:
    """A warning when a Fitbit day is not a measured day, else None."""
    if day > ctx.today:
        return Problem(
            path, "warning", f"{day} is after the export date {ctx.today}; dropped", line
        )
    if minutes >= 1440:
        return Problem(path, "warning", f"{day}: 1440 sedentary minutes (not worn); dropped", line)
    if steps is not None and steps == 0:
        return Problem(path, "warning", f"{day}: 0 steps (not worn); dropped", line)
    return None


def _read_fitbit_sedentary(probe: Probe, ctx: ReadContext) -> SourceRead:
    problems: list[Problem] = []
    dates: list[dt.date] = []
    hours: list[float] = []
    for i, (line, obj) in enumerate(probe.json_items, start=1):
        try:
            day = _fitbit_date(str(obj["dateTime"]))
            minutes = float(obj["value"])
        except (KeyError, TypeError, ValueError):
            msg = f"entry {i} is not a date and a minute count: {json.dumps(obj)[:60]}"
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        if not 0 <= minutes <= 1440:
            msg = f"{day}: sedentary minutes {minutes:g} is outside 0–1440"
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        if warn := _keep_fitbit_day(probe.name, day, minutes, None, ctx, line):
            problems.append(warn)
            continue
        dates.append(day)
        hours.append(minutes / 60)
    return SourceRead("fitbit_sedentary_json", device_days(dates, hours, probe.name), problems)


def _csv_dicts(text: str) -> list[tuple[int, dict[str, str]]]:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    out: list[tuple[int, dict[str, str]]] = []
    for values in reader:
        if not header:
            header = [h.strip().lstrip("\ufeff").strip().lower() for h in values]
            continue
        if any(v.strip() for v in values):
            row = {h: v.strip() for h, v in zip(header, values, strict=False)}
            out.append((reader.line_num, row))
    return out


_CSV_NAMES = {
    "sedentaryminutes": "SedentaryMinutes",
    "totalsteps": "TotalSteps",
    "veryactiveminutes": "VeryActiveMinutes",
    "fairlyactiveminutes": "FairlyActiveMinutes",
    "lightlyactiveminutes": "LightlyActiveMinutes",
}


def _num(row: dict[str, str], key: str) -> float | None:
    """The number in column ``key``, None when empty; ``ValueError`` naming the column."""
    text = row.get(key, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value:
        raise ValueError(f'{_CSV_NAMES.get(key, key)} "{text}" is not a number')
    return value


_ACTIVE_COLUMNS = ("veryactiveminutes", "fairlyactiveminutes", "lightlyactiveminutes")


def _read_fitbit_daily_csv(probe: Probe, ctx: ReadContext) -> SourceRead:
    problems: list[Problem] = []
    rows = _csv_dicts(probe.text or "")
    ids = list(dict.fromkeys(r.get("id", "") for _, r in rows))
    if len(ids) > 1:
        others = sum(1 for _, r in rows if r.get("id", "") != ids[0])
        msg = (
            f"holds {len(ids)} people ({len(ids)} different Ids); read only the first, "
            f"Id {ids[0]}, and skipped the {others} rows of the other {len(ids) - 1}"
        )
        problems.append(Problem(probe.name, "warning", msg))
        rows = [(n, r) for n, r in rows if r.get("id", "") == ids[0]]
    night_minutes = (24 - ctx.waking_hours) * 60
    window = f"{ctx.waking[0]:%H:%M}–{ctx.waking[1]:%H:%M}"
    dates: list[dt.date] = []
    hours: list[float] = []
    for line, row in rows:
        try:
            day = _fitbit_date(row.get("activitydate", ""))
        except ValueError:
            msg = f'ActivityDate "{row.get("activitydate", "")}" is not a date (M/D/YYYY)'
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        try:
            minutes = _num(row, "sedentaryminutes")
            steps = _num(row, "totalsteps")
            active = [_num(row, k) for k in _ACTIVE_COLUMNS]
        except ValueError as exc:
            msg = f"{day}: {exc}"
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        if minutes is None:
            problems.append(Problem(probe.name, "error", f"{day}: SedentaryMinutes is empty", line))
            continue
        if not 0 <= minutes <= 1440:
            msg = f"{day}: SedentaryMinutes {minutes:g} is outside 0–1440"
            problems.append(Problem(probe.name, "error", msg, line))
            continue
        if warn := _keep_fitbit_day(probe.name, day, minutes, steps, ctx, line):
            problems.append(warn)
            continue
        if all(a is not None for a in active) and minutes + sum(active) >= 1440:  # type: ignore[arg-type]
            waking = max(0.0, minutes - night_minutes)
            msg = (
                f"{day}: active and sedentary minutes add up to 24 h, so SedentaryMinutes "
                f"includes sleep; counted {minutes:g} − {night_minutes:g} = {waking:g} min "
                f"(the {night_minutes / 60:g} h outside the {window} waking window taken as sleep)"
            )
            problems.append(Problem(probe.name, "warning", msg, line))
            minutes = waking
        dates.append(day)
        hours.append(minutes / 60)
    return SourceRead("fitbit_daily_csv", device_days(dates, hours, probe.name), problems)


# ---- Garmin monitoring FIT -------------------------------------------------------------


def read_monitoring_states(path: str | Path) -> tuple[pl.DataFrame, list[Problem]]:
    """The activity states of a monitoring FIT file, in local wall time (decoded by
    ``runload.fit.read_monitoring``: its damage policy is every FIT file's)."""
    from runload.fit import read_monitoring

    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return pl.DataFrame(schema=STATE_SCHEMA), [
            Problem(name, "error", f"cannot be read: {exc.strerror}")
        ]
    read = read_monitoring(data, name)
    shift = read.offset_s or 0
    frame = pl.DataFrame(
        {
            "t": [FIT_EPOCH + dt.timedelta(seconds=s + shift) for s in read.times],
            "activity_type": read.types,
            "source": [name] * len(read.times),
            "file_end": [FIT_EPOCH + dt.timedelta(seconds=read.last_s + shift)] * len(read.times),
        },
        schema=STATE_SCHEMA,
    )
    return frame, read.problems


def _span_text(seconds: float) -> str:
    if seconds == 0:
        return "none"
    return "only " + (f"{seconds / 3600:.1f} h" if seconds >= 360 else f"{seconds / 60:.0f} min")


def monitoring_days(
    states: pl.DataFrame, waking: tuple[dt.time, dt.time], *, min_cover: float = MIN_COVER
) -> tuple[pl.DataFrame, list[Problem]]:
    """Sedentary hours per local day inside the waking window, from the states of any
    number of monitoring files (merged on one timeline, so overlaps count once).

    A state lasts until the next state or the end of its file, whichever comes first,
    and is cut at each local midnight (the part after midnight counts for the next
    day). The end of a file is its last timestamp: a day's file written at midnight
    ends at midnight, so its last state is closed at the end of the day; a file
    written at a sync ends at the sync, and the hours after it, not yet measured,
    are not guessed. Days whose waking window is covered less than ``min_cover``
    are left unknown (with a warning).
    """
    if states.is_empty():
        return empty_days(), []
    start_s = waking[0].hour * 3600 + waking[0].minute * 60
    end_s = waking[1].hour * 3600 + waking[1].minute * 60
    window_h = (end_s - start_s) / 3600
    t = pl.col("t")
    intervals = (
        # The same state in several files: keep the copy from the file that runs longest.
        states.sort("t", "file_end")
        .unique("t", keep="last", maintain_order=True)
        .with_columns(end=pl.max_horizontal(t, pl.min_horizontal(t.shift(-1), "file_end")))
        # One row per local day the state touches.
        .with_columns(d0=pl.datetime_ranges(t.dt.truncate("1d"), pl.col("end"), "1d"))
        .explode("d0")
        .with_columns(
            ws=pl.col("d0") + pl.duration(seconds=start_s),
            we=pl.col("d0") + pl.duration(seconds=end_s),
        )
        .with_columns(
            inside=(
                (pl.min_horizontal("end", "we") - pl.max_horizontal("t", "ws")).dt.total_seconds()
            ).clip(lower_bound=0),
            in_day=(
                (
                    pl.min_horizontal("end", pl.col("d0") + pl.duration(days=1))
                    - pl.max_horizontal("t", "d0")
                ).dt.total_seconds()
            ).clip(lower_bound=0),
        )
    )
    per_day = (
        intervals.group_by(pl.col("d0").dt.date().alias("date"))
        .agg(
            sedentary_s=pl.col("inside").filter(pl.col("activity_type") == SEDENTARY).sum(),
            covered_s=pl.col("inside").sum(),
            measured_s=pl.col("in_day").sum(),
            first_source=pl.col("source").first(),
            n_sources=pl.col("source").n_unique(),
        )
        .sort("date")
    )
    enough = pl.col("covered_s") >= min_cover * window_h * 3600
    problems = [
        Problem(
            row["first_source"],
            "warning",
            f"{row['date']}: monitoring covers {_span_text(row['covered_s'])} of the "
            f"{waking[0]:%H:%M}–{waking[1]:%H:%M} waking window; left unknown",
        )
        # Any day with measured time (even only at night) is named, never silently dropped.
        for row in per_day.filter(~enough & (pl.col("measured_s") > 0)).iter_rows(named=True)
    ]
    days = (
        per_day.filter(enough)
        .select(
            "date",
            sitting_hours=pl.col("sedentary_s") / 3600,
            source=pl.when(pl.col("n_sources") > 1)
            .then(
                pl.format(
                    "{} (+{} more)",
                    pl.col("first_source"),
                    (pl.col("n_sources") - 1).cast(pl.String),
                )
            )
            .otherwise(pl.col("first_source")),
            source_kind=pl.lit("device"),
            numbness=pl.lit(None, dtype=pl.Int8),
            seat=pl.lit(None, dtype=pl.String),
        )
        .cast(sitting_schema())  # type: ignore[arg-type]
    )
    return days, problems


def _read_monitoring(probe: Probe, ctx: ReadContext) -> SourceRead:
    states, problems = read_monitoring_states(probe.path)
    return SourceRead("garmin_monitoring", empty_days(), problems, states=states)


READERS: dict[str, Callable[[Probe, ReadContext], SourceRead]] = {
    "garmin_monitoring": _read_monitoring,
    "garmin_summary": _read_garmin_summary,
    "fitbit_sedentary_json": _read_fitbit_sedentary,
    "manual_json": _read_manual_json,
    "fitbit_daily_csv": _read_fitbit_daily_csv,
    "manual_csv": _read_manual_csv,
}


def read_source(path: str | Path, ctx: ReadContext) -> SourceRead:
    """Read one file of any supported kind; ``UnsupportedSittingSourceError`` otherwise
    (an unreadable file is an ``SittingError`` naming it)."""
    p = Path(path)
    try:
        probe = Probe(p)
    except OSError as exc:
        raise SittingError(f"{p}: cannot be read: {exc.strerror}") from None
    kind = _detect(probe)
    reader = READERS.get(kind or "")
    if reader is None:
        raise UnsupportedSittingSourceError(f"{p}: {unsupported_message(probe)}")
    return reader(probe, ctx)
