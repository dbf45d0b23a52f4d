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

from collections.abc import Callable
from pathlib import Path
from typing import Any

from runload.sitting import apple
from runload.sitting.probe import FITBIT_DAILY_COLUMNS, Probe
from runload.sitting.text import (
    TOO_DEEP,
    column_name,
    looks_like_json,
)

SUPPORTED = (
    "supported: a sitting log (CSV or JSON with date and sitting_hours), "
    "Garmin usersummary JSON (also UDSFile_*.json), Garmin monitoring FIT files, "
    "Fitbit sedentary_minutes-*.json and resting_heart_rate-*.json, Fitbit daily activity CSV "
    "(ActivityDate, SedentaryMinutes), Apple Health export.zip or export.xml (stand hours)"
)


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
        return p.path is not None and apple.export_member(p.path) is not None
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
