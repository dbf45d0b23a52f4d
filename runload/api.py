"""The library's public calls in one place; each ``runload`` command wraps the one of
the same name (``runload ingest`` → ``ingest``, ``runload report`` → ``report``,
``runload check`` → ``check``, ``runload plot`` → ``plot``, ``runload sources`` →
``sources``, ``runload sitting show`` →
``read_sitting``, ``runload sitting add`` → ``add_day``, ``runload init`` →
``init_config``, ``runload plan`` → ``plan``, ``runload selfcheck`` → ``selfcheck``,
``runload team`` → ``team``, ``runload team --season`` → ``team_season``
and ``write_season``). The commands that read a season take ``Options``: the settings, files,
sitting sources and cache resolved once from ``runload.toml``, what you pass and the
environment, exactly as the command line resolves them::

    from runload.api import analyse, check, ingest, report, resolve_options

    options = resolve_options(["examples/season"], ["examples/sitting.csv"])
    season = report(options)                     # files → activities → days → risk → advice
    season.flagged_days()                        # the elevated and high days, with reasons
    today = check(options, planned_minutes=90)   # "what about today's run?"
    acts = ingest(options)                       # only the activities table

    # or step by step, on your own frames:
    result = analyse(acts.activities, sitting_days, options.settings, facts=acts.facts)
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runload.analysis import Analysis, analyse
from runload.config import Settings, init_config, load_settings
from runload.errors import Problem, RunloadError
from runload.ingest import IngestResult, ingest
from runload.lazynames import lazy_names
from runload.options import Options, resolve_options
from runload.report import Check, Report, check, report
from runload.sitting import SittingResult, add_day, read_sitting

if TYPE_CHECKING:
    from runload.plan import Plan, plan
    from runload.selfcheck import SelfCheckResult, selfcheck
    from runload.sources import SourcesResult, sources
    from runload.team import Team, team, team_season, write_season

# The calls that one command each uses, imported when first asked for: ``runload check``
# on a decade need not import the planner, the squad and the downloads' inventory (8 ms of
# its 0.3 s above Python and polars).
_WHERE = {
    **dict.fromkeys(("Plan", "plan"), "runload.plan"),
    **dict.fromkeys(("SelfCheckResult", "selfcheck"), "runload.selfcheck"),
    **dict.fromkeys(("SourcesResult", "sources"), "runload.sources"),
    **dict.fromkeys(("Team", "team", "team_season", "write_season"), "runload.team"),
}


__getattr__ = lazy_names(__name__, _WHERE, globals())


def write_html(rep: Report, path: str | os.PathLike[str]) -> Path:
    """Write ``rep`` as one offline HTML page (plots inlined) to ``path``, atomically."""
    from runload.render.html import write_html as write

    return write(rep, path)


def plot(
    options: Options,
    path: str | os.PathLike[str],
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress: Callable[..., Any] | None = None,
) -> tuple[Report, Path | None]:
    """The report of ``options`` written as an HTML page to ``path``; the path written is
    None (nothing written) when the period has no day to show."""
    rep = report(options, date_from=date_from, date_to=date_to, progress=progress)
    return rep, None if rep.empty else write_html(rep, path)


__all__ = [
    "Analysis",
    "Check",
    "IngestResult",
    "Options",
    "Plan",
    "Problem",
    "Report",
    "RunloadError",
    "SelfCheckResult",
    "Settings",
    "SittingResult",
    "SourcesResult",
    "Team",
    "add_day",
    "analyse",
    "check",
    "ingest",
    "init_config",
    "load_settings",
    "plan",
    "plot",
    "read_sitting",
    "report",
    "resolve_options",
    "selfcheck",
    "sources",
    "team",
    "team_season",
    "write_html",
    "write_season",
]
