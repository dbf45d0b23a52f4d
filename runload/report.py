"""The season report and the pre-run check: what a runner acts on.

Owns the ``Report`` and ``Check`` data models and the two functions that fill them,
``report`` and ``check``, both from an ``Options`` (``runload.options``: the settings,
files, sitting sources and cache already resolved). They orchestrate ingest → sitting →
analyse, cut the
result to the period asked for, count the summary, and turn the things that make a
report misleading ("--from/--to outside the data", "the sitting log has no overlap
with the runs") into ``Problem`` entries. They never print and never write files:
the renderers in ``runload.render`` and the CLI do that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import polars as pl

from runload import __version__
from runload.config import Settings
from runload.errors import InputError, NothingToCheckError, Problem
from runload.schema import ACTIVITY_COLUMNS, DAY_COLUMNS

if TYPE_CHECKING:
    from runload.copies import Duplicate
    from runload.ingest import IngestResult, NoActivity
    from runload.options import Options
    from runload.sitting import SittingResult

# The activity fields of the report: the ingest columns plus what the method adds.
ACTIVITY_REPORT_COLUMNS: tuple[str, ...] = (
    *ACTIVITY_COLUMNS,
    "load",
    "load_method",
    "long_run",
    "long_run_spike",
)
# A period longer than this many weeks opens on its last ones (``Report.recent_from``): the
# HTML page's first view, the terminal's flagged days.
RECENT_WEEKS = 26
NOT_ADVICE = "runload is not medical advice"  # the short form, under the check
DISCLAIMER = (
    f"{NOT_ADVICE}: the sitting rules are a heuristic, not a diagnosis. "
    "See a physiotherapist or doctor about pain or numbness that does not go away."
)


@dataclass(frozen=True)
class Summary:
    """The counts the report header and the HTML cards show, for the period."""

    runs: int
    km: float
    long_runs: int
    elevated_days: int
    high_days: int
    other_activities: int = 0
    run_minutes: float = 0.0


@dataclass
class Report:
    """A season report: plain data, rendered by ``runload.render``.

    ``days`` has ``DAY_COLUMNS`` first (then any extras), one row per day of the period;
    ``activities`` has ``ACTIVITY_REPORT_COLUMNS`` (no HR samples). ``athlete`` is a list
    of ``{"name", "value", "source"}``. ``period_from``/``period_to`` are the days shown
    (None when there is nothing to show); ``data_from``/``data_to`` the span of all data.
    ``duplicates`` are the copies read and merged (not problems); ``no_activity`` the files
    that gave no activity, each with why; ``settings`` the method's settings (the plots draw
    its thresholds) and the display units; ``period_asked``: the period was asked for
    (``--from``/``--to``), not the whole data.
    """

    period_from: dt.date | None
    period_to: dt.date | None
    summary: Summary
    athlete: list[dict[str, Any]]
    days: pl.DataFrame
    activities: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    duplicates: list[Duplicate] = field(default_factory=list)
    no_activity: list[NoActivity] = field(default_factory=list)
    data_from: dt.date | None = None
    data_to: dt.date | None = None
    files: int = 0
    notes: list[str] = field(default_factory=list)  # plain sentences from the method
    run_notes: list[str] = field(default_factory=list)  # about this run, not the data
    version: str = __version__
    period_asked: bool = False

    @property
    def recent_from(self) -> dt.date | None:
        """The first of the ``RECENT_WEEKS`` ending on the period's last day (the last day
        with data, never today's date: a page does not drift with the calendar); None when
        the period is not longer than that."""
        if self.period_from is None or self.period_to is None:
            return None
        first = self.period_to - dt.timedelta(weeks=RECENT_WEEKS) + dt.timedelta(days=1)
        return first if first > self.period_from else None

    @property
    def empty(self) -> bool:
        """True when the period has no day to show."""
        return self.days.height == 0

    def flagged_days(self) -> pl.DataFrame:
        """The days that matter: elevated or high."""
        return self.days.filter(pl.col("risk").is_in(["elevated", "high"]))


@dataclass
class Check:
    """The answer to "what about today's run?" for one day."""

    day: dt.date
    risk: str  # low | elevated | high
    score: int
    reasons: list[dict[str, Any]]  # {factor, points, detail}
    advice: list[dict[str, Any]]  # {code, title, text, steps}
    planned_minutes: float | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)  # that day's runs
    # why the level is lower than the points suggest (``risk.score.held_back``): the day's
    # points are all from sitting, or it has fewer running or body reasons than a high day
    # needs; the sentence, and the few words of the level line ("all from sitting"); None
    level_note: str | None = None
    level_why: str | None = None
    sitting_hours: float | None = None
    sitting_source: str | None = None
    acwr: float | None = None
    athlete: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    run_notes: list[str] = field(default_factory=list)  # about this run, not the data
    duplicates: list[Duplicate] = field(default_factory=list)  # copies merged: not problems
    display_units: str = "metric"  # [display] units: what the reasons' details are worded in

    @property
    def steps(self) -> list[str]:
        return [s for a in self.advice for s in (a.get("steps") or [])]


# --- the pipeline ----------------------------------------------------------------------------


@dataclass
class _Inputs:
    activities: pl.DataFrame
    sitting: pl.DataFrame
    facts: list[Any]
    problems: list[Problem]
    files: int
    run_notes: list[str]  # the FIT decoder's (ingest.IngestResult.notes), the sitting used
    duplicates: list[Duplicate]
    sitting_sources: list[str]  # what the sitting came from (given, or found in the paths)
    no_activity: list[NoActivity]


def read_sitting_of(
    options: Options, not_sitting: frozenset[str] = frozenset()
) -> tuple[SittingResult | None, list[str], str | None]:
    """The sitting a run of ``options`` reads: the sources given (or the config's log) and,
    when ``options.sitting_from_paths``, the sitting found in the activity paths (but for
    the files of ``not_sitting``, ``IngestResult.not_sitting``), merged (the log wins the
    days it has). Returns the result (None when there is nothing to read), the sources it
    came from, and the note that says which sitting was found in the paths (and, beside
    the log, how many days each gave)."""
    from runload.sitting import read_sitting, sitting_note

    settings = options.settings
    sources = list(options.sitting)
    search_in = list(options.paths) if options.sitting_from_paths else []
    if not (sources or search_in):
        return None, [], None
    sit = read_sitting(
        sources,
        waking=(settings.sitting.waking_start, settings.sitting.waking_end),
        search_in=search_in,
        not_sitting=not_sitting,
    )
    found = [f.given for f in sit.files if f.given not in sources]
    if not found:  # nothing in the paths: the sources named (the user knows which)
        return sit, sources, None
    return sit, list(dict.fromkeys([*sources, *found])), sitting_note(sit)


def read_as_sitting(ing: IngestResult, sit: SittingResult | None) -> IngestResult:
    """``ing`` as it reads once the sitting is read (``sit``): a file named among the activity
    paths that is no FIT file but a sitting source the sitting readers read (a sitting log,
    a Fitbit JSON export) is no "not a FIT file" problem and no activity file (``kinds``).
    It stays with the files that gave no activity, under its sitting kind, saying it was
    read as sitting, as a monitoring file does."""
    from runload.errors import NotFitError
    from runload.ingest import NoActivity
    from runload.sitting.read import KIND_LABELS

    code = NotFitError.default_code
    kinds = {f.name: f.kind for f in sit.files} if sit else {}
    mine = {n.file for n in ing.no_activity if n.code == code and n.file in kinds}
    if not mine:
        return ing

    def said(n: NoActivity) -> NoActivity:
        if n.file not in mine:
            return n
        label = KIND_LABELS.get(kinds[n.file], kinds[n.file])
        return NoActivity(n.file, kinds[n.file], None, None, f"read as sitting ({label})")

    return replace(
        ing,
        problems=[p for p in ing.problems if not (p.code == code and p.path in mine)],
        no_activity=[said(n) for n in ing.no_activity],
        kinds={name: kind for name, kind in ing.kinds.items() if name not in mine},
    )


def _load_inputs(
    options: Options,
    progress: Callable[..., Any] | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> _Inputs:
    """Everything ``options`` reads (``inputs_of`` its ingest)."""
    from runload.ingest import ingest

    ing = ingest(options, progress=progress, hr_samples=False)  # (their summary is enough)
    return inputs_of(options, ing, date_from, date_to)


def inputs_of(
    options: Options,
    ing: IngestResult,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> _Inputs:
    """One runner's inputs from their activity files read (``ing``): their sitting
    (``read_sitting_of``), the problems and facts of both, and the stray dates left out
    (``runload.span.trusted``) unless ``date_from``/``date_to`` ask for them. Report, check
    and each athlete of ``team`` go through here."""
    from runload.schema import sitting_schema
    from runload.span import trusted

    sit, sources, note = read_sitting_of(options, ing.not_sitting)
    ing = read_as_sitting(ing, sit)
    problems = list(ing.problems)  # (merged copies are not problems: ``duplicates``)
    facts = list(ing.facts)
    notes = list(ing.notes)
    if note:
        notes.append(note)
    sitting = pl.DataFrame(schema=sitting_schema())
    if sit is not None:
        problems += sit.problems
        facts += sit.facts
        sitting = sit.days
    activities, sitting, left_out = trusted(
        ing.activities, sitting, today(options.settings), date_from, date_to
    )
    problems += left_out
    return _Inputs(
        activities,
        sitting,
        facts,
        list(dict.fromkeys(problems)),  # a broken zip read for both is said once
        ing.files_seen,
        notes,
        ing.duplicates,
        sources,
        ing.no_activity,
    )


def _athlete_rows(analysis: Any) -> list[dict[str, Any]]:
    return list(analysis.athlete.rows())


def _span(frame: pl.DataFrame, column: str = "date") -> tuple[dt.date | None, dt.date | None]:
    if frame.height == 0 or column not in frame.columns:
        return None, None
    col = frame.get_column(column).drop_nulls()
    if col.len() == 0:
        return None, None
    return col.min(), col.max()  # type: ignore[return-value]  # a Date column: dates


def _overlap_problem(
    runs: pl.DataFrame, sitting: pl.DataFrame, sources: Sequence[str]
) -> Problem | None:
    """A warning when the sitting log and the runs cover disjoint periods."""
    r0, r1 = _span(runs)
    s0, s1 = _span(sitting)
    if r0 is None or r1 is None or not sources:
        return None
    where = ", ".join(str(s) for s in sources)
    if s0 is None or s1 is None:
        msg = "no sitting days were read: the risk uses the runs only"
        return Problem(where, "warning", msg, code="sitting.none_read")
    if s1 < r0 or s0 > r1:
        return Problem(
            where,
            "warning",
            f"the sitting log ({s0} to {s1}) has no overlap with the runs ({r0} to {r1}): "
            "the risk uses the runs only",
            code="sitting.no_overlap",
        )
    return None


def _period_problem(
    date_from: dt.date | None,
    date_to: dt.date | None,
    data_from: dt.date | None,
    data_to: dt.date | None,
) -> Problem | None:
    if date_from is not None and date_to is not None and date_from > date_to:
        msg = f"--from {date_from} is after --to {date_to}"
        return Problem("--from/--to", "error", msg, code="period.reversed")
    if data_from is None or data_to is None:
        return None
    if (date_from is not None and date_from > data_to) or (
        date_to is not None and date_to < data_from
    ):
        asked = f"{date_from or '…'} to {date_to or '…'}"
        return Problem(
            "--from/--to",
            "error",
            f"the period {asked} is outside the data ({data_from} to {data_to})",
            code="period.outside",
        )
    return None


def _in_period(
    frame: pl.DataFrame, date_from: dt.date | None, date_to: dt.date | None
) -> pl.DataFrame:
    if date_from is not None:
        frame = frame.filter(pl.col("date") >= date_from)
    if date_to is not None:
        frame = frame.filter(pl.col("date") <= date_to)
    return frame


def _report_activities(frame: pl.DataFrame) -> pl.DataFrame:
    """The activity table of the report: the public columns, no HR samples, sorted."""
    for name, dtype in (
        ("load", pl.Float64),
        ("load_method", pl.String),
        ("long_run", pl.Boolean),
        ("long_run_spike", pl.Boolean),
    ):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(name))
    cols = [c for c in ACTIVITY_REPORT_COLUMNS if c in frame.columns]
    return frame.select(cols).sort("start_utc", "session")


def _summary(days: pl.DataFrame, activities: pl.DataFrame) -> Summary:
    runs = activities.filter(pl.col("is_run"))
    risk = days.get_column("risk") if "risk" in days.columns else pl.Series([], dtype=pl.String)
    return Summary(
        runs=runs.height,
        km=float(runs.get_column("distance_km").fill_null(0).sum() or 0.0),
        long_runs=int(runs.get_column("long_run").fill_null(False).sum() or 0),
        elevated_days=int((risk == "elevated").sum() or 0),
        high_days=int((risk == "high").sum() or 0),
        other_activities=activities.height - runs.height,
        run_minutes=float(runs.get_column("moving_minutes").fill_null(0).sum() or 0.0),
    )


def _day_frame(days: pl.DataFrame) -> pl.DataFrame:
    """``DAY_COLUMNS`` first, then the extras the method added."""
    missing = [c for c in DAY_COLUMNS if c not in days.columns]
    if missing:
        raise InputError(f"the daily table lacks the columns {', '.join(missing)}")
    return days.select([*DAY_COLUMNS, *(c for c in days.columns if c not in DAY_COLUMNS)])


def report(
    options: Options,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress: Callable[..., Any] | None = None,
) -> Report:
    """Read the activity files and sitting sources of ``options``, analyse the whole season
    (so the load metrics have their history), and keep the days and activities of the
    period."""
    from runload.analysis import analyse

    settings, paths = options.settings, options.paths
    inputs = _load_inputs(options, progress, date_from, date_to)
    problems = list(inputs.problems)
    runs = inputs.activities.filter(pl.col("is_run"))
    if overlap := _overlap_problem(runs, inputs.sitting, inputs.sitting_sources):
        problems.append(overlap)
    if inputs.activities.height == 0:
        problems.append(
            Problem(
                ", ".join(str(p) for p in paths) or ".",
                "error",
                "no activities were read: nothing to report",
                code="report.no_activities",
            )
        )
        empty_days = pl.DataFrame(schema={"date": pl.Date, "risk": pl.String})
        return Report(
            period_from=None,
            period_to=None,
            summary=Summary(0, 0.0, 0, 0, 0),
            athlete=[],
            days=empty_days.clear(),
            activities=_report_activities(inputs.activities),
            problems=problems,
            settings=settings,
            duplicates=inputs.duplicates,
            no_activity=inputs.no_activity,
            files=inputs.files,
            run_notes=inputs.run_notes,
        )

    if runs.height == 0:
        problems.append(
            Problem(
                ", ".join(str(p) for p in paths),
                "warning",
                f"no runs among the {inputs.activities.height} activities read: "
                "there is no running load to report",
                code="report.no_runs",
            )
        )
    analysis = analyse(inputs.activities, inputs.sitting, settings, facts=inputs.facts)
    all_days = _day_frame(analysis.days).sort("date")
    data_from, data_to = _span(all_days)
    if period := _period_problem(date_from, date_to, data_from, data_to):
        problems.append(period)
    days = _in_period(all_days, date_from, date_to)
    activities = _report_activities(_in_period(analysis.activities, date_from, date_to))
    period_from, period_to = _span(days)
    return Report(
        period_from=period_from,
        period_to=period_to,
        summary=_summary(days, activities),
        athlete=_athlete_rows(analysis),
        days=days,
        activities=activities,
        problems=problems,
        settings=settings,
        duplicates=inputs.duplicates,
        no_activity=inputs.no_activity,
        data_from=data_from,
        data_to=data_to,
        files=inputs.files,
        run_notes=inputs.run_notes,
        notes=list(analysis.notes),
        period_asked=date_from is not None or date_to is not None,
    )


def today(settings: Settings) -> dt.date:
    """Today where the runner is: in the config's time zone when one is set, else this
    machine's (so a runner in Los Angeles checking at 7 pm does not get tomorrow in UTC)."""
    zone = settings.athlete.timezone
    if zone:
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(zone)).date()
    return dt.date.today()


def check(
    options: Options,
    *,
    day: dt.date | None = None,
    planned_minutes: float | None = None,
    progress: Callable[..., Any] | None = None,
) -> Check:
    """The risk of ``day`` (default: ``today(settings)``) from all data up to it, that day's
    sitting when logged, and an optional planned run of ``planned_minutes``."""
    from runload.analysis import analyse
    from runload.risk import held_back
    from runload.span import refuse_far_day

    settings, paths = options.settings, options.paths
    day = refuse_far_day(day, today(settings)) if day else today(settings)
    inputs = _load_inputs(options, progress)
    activities = inputs.activities.filter(pl.col("date") <= day)
    sitting = inputs.sitting.filter(pl.col("date") <= day)
    notes: list[str] = []
    if activities.filter(pl.col("is_run")).height == 0:
        raise NothingToCheckError(
            f"no runs on or before {day} in {', '.join(str(p) for p in paths)}: nothing to check",
            inputs.problems,
        )
    analysis = analyse(
        activities,
        sitting,
        settings,
        facts=inputs.facts,
        planned_minutes=planned_minutes,
        planned_date=day if planned_minutes is not None else None,
        until=day,
    )
    row = analysis.days.filter(pl.col("date") == day)
    if row.height == 0:
        raise InputError(f"the daily table has no row for {day}")
    r = row.row(0, named=True)
    if r.get("sitting_hours") is None:
        notes.append(f"no sitting logged for {day}: add it with `runload sitting add HOURS`")
    last_run = activities.filter(pl.col("is_run")).get_column("date").max()
    if isinstance(last_run, dt.date) and (day - last_run).days > 28:
        notes.append(f"the last run in the files is from {last_run}: the load may be out of date")
    score = int(r.get("score") or 0)
    note = held_back(str(r["risk"]), score, list(r.get("reasons") or []), settings)
    day_runs = (
        _report_activities(analysis.activities)
        .filter((pl.col("date") == day) & pl.col("is_run"))
        .select("start_local", "moving_minutes", "distance_km", "load", "long_run")
        .to_dicts()
    )
    return Check(
        day=day,
        risk=str(r["risk"]),
        score=score,
        reasons=list(r.get("reasons") or []),
        advice=list(r.get("advice") or []),
        planned_minutes=planned_minutes,
        runs=day_runs,
        level_note=note[1] if note else None,
        level_why=note[0] if note else None,
        sitting_hours=r.get("sitting_hours"),
        sitting_source=r.get("sitting_source"),
        acwr=r.get("acwr"),
        athlete=_athlete_rows(analysis),
        problems=list(inputs.problems),
        notes=notes + [n for n in analysis.notes if "planned run" in n],
        run_notes=inputs.run_notes,
        duplicates=inputs.duplicates,
        display_units=settings.display.units,
    )
