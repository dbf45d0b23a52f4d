"""The library's public calls in one place; each ``runload`` command wraps the one of
the same name (``runload ingest`` → ``ingest``, ``runload report`` → ``report``,
``runload check`` → ``check``, ``runload sitting show`` → ``read_sitting``,
``runload sitting add`` → ``add_day``, ``runload init`` → ``init_config``)::

    from runload.api import analyse, ingest, load_settings, read_sitting

    season = ingest(["examples/season"])                 # files → activities
    sitting = read_sitting(["examples/sitting.csv"])     # → the daily sitting table
    settings = load_settings()                           # runload.toml, or the defaults
    result = analyse(season.activities, sitting.days, settings, facts=season.facts)
    result.days                                          # day table with risk and advice
"""

from __future__ import annotations

from runload.analysis import Analysis, analyse
from runload.config import Settings, init_config, load_settings
from runload.errors import Problem, RunloadError
from runload.ingest import IngestResult, ingest
from runload.report import Check, Report, check, report
from runload.sitting import SittingResult, add_day, read_sitting

__all__ = [
    "Analysis",
    "Check",
    "IngestResult",
    "Problem",
    "Report",
    "RunloadError",
    "Settings",
    "SittingResult",
    "add_day",
    "analyse",
    "check",
    "ingest",
    "init_config",
    "load_settings",
    "read_sitting",
    "report",
]
