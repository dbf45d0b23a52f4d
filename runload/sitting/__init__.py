"""Daily sitting time from every source the user gives: the manual log, Garmin daily
summaries and monitoring FIT files, Fitbit exports, Apple Health stand hours (a proxy); in
files, folders or zip archives.

The public surface; each concept lives in its own module:

- ``read`` — ``read_sitting``: files, folders and zip archives → one table, one row per
  date (``search=True``: the sitting held in activity paths; ``sitting_note`` says which);
- ``archive`` — the sitting sources among a zip's members (Garmin's account export);
- ``detect`` — what kind of sitting source a file is (``Probe``, ``DETECTORS``);
- ``log`` — the manual log: reading it row by row, and what of a row ``add_day`` owns;
- ``add`` — ``add_day``: one day added to (or replaced in) the log;
- ``garmin``, ``fitbit``, ``monitoring``, ``apple`` — one reader per device source;
- ``merge`` — many sources into one row per day (``PRECEDENCE``), resting heart rates;
- ``source`` — what each reader is given and gives back;
- ``text`` — bytes as text, CSV and JSON structure.
"""

from __future__ import annotations

from runload.sitting.add import AddResult, add_day
from runload.sitting.detect import SUPPORTED, UNSUPPORTED_HINTS, Probe, detect
from runload.sitting.log import LogRead, read_log
from runload.sitting.merge import PRECEDENCE
from runload.sitting.monitoring import monitoring_days, read_monitoring_states
from runload.sitting.read import (
    KIND_LABELS,
    READERS,
    SittingFile,
    SittingResult,
    days_between,
    parse_waking,
    read_probe,
    read_sitting,
    read_sitting_file,
    sitting_note,
)
from runload.sitting.source import ReadContext, SourceRead

__all__ = [
    "KIND_LABELS",
    "PRECEDENCE",
    "READERS",
    "SUPPORTED",
    "UNSUPPORTED_HINTS",
    "AddResult",
    "LogRead",
    "Probe",
    "ReadContext",
    "SittingFile",
    "SittingResult",
    "SourceRead",
    "add_day",
    "days_between",
    "detect",
    "monitoring_days",
    "parse_waking",
    "read_log",
    "read_monitoring_states",
    "read_probe",
    "read_sitting",
    "read_sitting_file",
    "sitting_note",
]
