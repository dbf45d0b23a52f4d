"""A squad or a cohort: many athletes in one command (``runload team DIR``).

Owns finding the athletes (one folder each under ``DIR``, the folder name is the athlete's
name), resolving each one's settings and inputs as the single-athlete commands do (their own
``runload.toml``, else the squad's; their ``[sitting] log``, else the sitting sources in
their folder), the one shared ingest of every athlete's files (``runload.ingest.read_groups``:
one pool of processes, or one set of Dask batches, for the whole squad), and the method over
all athletes at once (``runload.analysis.analyse_many``: each athlete's hr_max, hr_rest and
TRIMP coefficients join in as columns; athletes whose method settings — windows, thresholds —
are the same go through one polars pass, so a squad that shares them is one pass).

``team`` gives ``Team``: the day asked for (default: today in each athlete's time zone) of
every athlete, sorted high first; ``team_season`` all their days; ``write_season`` writes those
as a Parquet dataset partitioned by athlete. An athlete folder that fails (no files, a broken
config, no run before the day) is one ``Problem`` naming the athlete; the others go on.
Nothing here prints or renders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from runload.config import Settings, load_settings
from runload.errors import InputError, NamedPathError, Problem, RunloadError, path_text
from runload.options import Options, resolve_options, with_units
from runload.schema import ATHLETE_KEY, DAY_COLUMNS

if TYPE_CHECKING:
    from runload.copies import Duplicate

CONFIG_NAME = "runload.toml"
# The levels from worst to best: the order of the team table and of the exit status.
LEVEL_ORDER = {"high": 0, "elevated": 1, "low": 2}
# The file that marks a folder as a dataset runload wrote (so a re-run may replace it).
SEASON_MARK = "_runload_season.json"
# The columns of the team table, after ``ATHLETE_KEY`` and the day's ``DAY_COLUMNS``.
TEAM_EXTRA_COLUMNS = ("last_run", "days_since_run")


class TeamError(InputError):
    """The squad folder cannot be used at all (missing, no athlete folder in it)."""


@dataclass(frozen=True)
class Member:
    """One athlete of the squad, resolved: their name, folder and ``Options``."""

    name: str
    folder: Path
    options: Options


@dataclass
class Team:
    """The answer for a squad. ``days``: one row per athlete reported, ``ATHLETE_KEY``, the
    day's ``DAY_COLUMNS`` and ``TEAM_EXTRA_COLUMNS``, sorted high first (then score, then
    name). ``season``: every day of every athlete (``ATHLETE_KEY`` + ``DAY_COLUMNS``), for
    the charts and the Parquet dataset. ``athletes``: name → the values the method used
    (as ``Report.athlete``). ``problems``: every input problem, each file under its
    athlete's folder; ``failed``: the athletes not reported, each with its one line;
    ``duplicates``: the copies merged in each athlete's files (not problems)."""

    date: dt.date | None  # the day asked for; None: each athlete's own today
    days: pl.DataFrame
    season: pl.DataFrame
    athletes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)  # the squad's (the plots' lines)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def worst(self) -> str | None:
        """The worst level among the athletes reported (None: no one reported)."""
        levels = self.days.get_column("risk").to_list() if self.days.height else []
        return min(levels, key=lambda v: LEVEL_ORDER.get(v, 9)) if levels else None


# --- the squad -------------------------------------------------------------------------------


def _left_out(folder: Path, why: object) -> Problem:
    """The one line for an athlete who is not reported."""
    return Problem(
        path_text(folder) or "",
        "error",
        f"athlete {path_text(folder.name)} left out: {why}",
        code="team.left_out",
    )


def find_members(
    folder: str | os.PathLike[str], *, config: str | os.PathLike[str] | None = None
) -> tuple[list[Member], list[Problem]]:
    """The athletes of ``folder``: every sub-folder not starting with ``.`` or ``_``, by name.
    Each one's settings: its own ``runload.toml``, else ``config`` (else the config found
    as for the single-athlete commands); a broken config, or a path it names that cannot
    be read (``[sitting] log``, ``[paths] activities``), is that athlete's problem.
    ``NamedPathError`` when ``folder`` itself is missing, unreadable or not a folder."""
    from runload.inputs import unusable

    root = Path(folder)
    if why := unusable(root) or (None if root.is_dir() else "is a file"):
        raise NamedPathError(  # a usage mistake (exit 2), as any path named that is not there
            f"{why}: give the folder that holds one folder per athlete", path=root
        )
    squad_settings: Settings | None = None
    members: list[Member] = []
    problems: list[Problem] = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        if sub.name.startswith((".", "_")):
            continue
        try:
            own = sub / CONFIG_NAME
            if own.is_file():
                settings = load_settings(own)
            else:
                if squad_settings is None:
                    squad_settings = load_settings(config, cwd=root)
                # relative paths of a shared config ([sitting] log) are the athlete's own
                settings = dataclasses.replace(squad_settings, source=own)
            paths = [str(sub)] if not (own.is_file() and settings.paths.activities) else None
            options = resolve_options(paths, settings=settings, cwd=sub)
        except RunloadError as exc:
            problems.append(_left_out(sub, exc))
            continue
        # a folder name that is not UTF-8 is the athlete's name with \x.. escapes
        members.append(Member(path_text(sub.name) or sub.name, sub, options))
    if not members and not problems:
        raise TeamError(
            "holds no athlete folder (one folder per athlete, named after them)", path=root
        )
    return members, problems


# --- reading every athlete at once ------------------------------------------------------------


@dataclass
class _Read:
    """Every athlete read: the frames carry ``ATHLETE_KEY``; ``athletes`` one row each with
    the values the loads use (``runload.load.ATHLETE_VALUE_COLUMNS``)."""

    activities: pl.DataFrame
    sitting: pl.DataFrame
    athletes: pl.DataFrame
    members: list[Member]
    rows: dict[str, list[dict[str, Any]]]
    notes: dict[str, list[str]]
    problems: list[Problem]
    failed: list[Problem]
    duplicates: list[Duplicate] = field(default_factory=list)

    def only(self, names: Sequence[str]) -> _Read:
        """The same, for the athletes ``names`` only."""
        mine = pl.col(ATHLETE_KEY).is_in(list(names))
        return dataclasses.replace(
            self,
            activities=self.activities.filter(mine),
            sitting=self.sitting.filter(mine),
            athletes=self.athletes.filter(mine),
            members=[m for m in self.members if m.name in set(names)],
        )


def _read_squad(
    members: Sequence[Member],
    run: Options,
    progress: Callable[..., Any] | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> _Read:
    """Ingest every athlete's files in one pass, read each one's sitting, resolve each
    athlete's values; each athlete's inputs as report reads them (``report.inputs_of``);
    the frames carry ``ATHLETE_KEY``."""
    from runload.athlete import resolve_athlete
    from runload.ingest import read_groups
    from runload.load import athlete_values
    from runload.report import inputs_of

    results = read_groups(
        [(m.options.paths, m.options.timezone) for m in members],
        jobs=run.jobs,
        cache_dir=run.cache_dir,
        use_cache=run.use_cache,
        progress=progress,
        hr_samples=False,  # (their summary is what the method reads)
        dask=run.dask,
    )
    activities: list[pl.DataFrame] = []
    sittings: list[pl.DataFrame] = []
    values: list[dict[str, Any]] = []
    out = _Read(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), [], {}, {}, [], [])
    for member, ing in zip(members, results, strict=True):
        name = member.name
        try:
            mine = inputs_of(member.options, ing, date_from, date_to)
        except RunloadError as exc:
            out.failed.append(_left_out(member.folder, exc))
            out.problems += ing.problems
            out.duplicates += ing.duplicates
            continue
        out.problems += mine.problems
        out.duplicates += mine.duplicates
        if mine.activities.filter(pl.col("is_run")).height == 0:
            why = "no activity files" if ing.files_seen == 0 else "no runs in its files"
            out.failed.append(_left_out(member.folder, why))
            continue
        athlete = resolve_athlete(member.options.settings.athlete, mine.facts, mine.activities)
        key = pl.lit(name, dtype=pl.String).alias(ATHLETE_KEY)
        activities.append(mine.activities.with_columns(key))
        sittings.append(mine.sitting.with_columns(key))
        values.append({ATHLETE_KEY: name, **athlete_values(athlete)})
        out.rows[name] = list(athlete.rows())
        out.notes[name] = mine.run_notes + list(athlete.warnings)
        out.members.append(member)
    if out.members:
        out.activities = pl.concat(activities, how="diagonal_relaxed")
        out.sitting = pl.concat(sittings, how="diagonal_relaxed")
        out.athletes = pl.DataFrame(values)
    return out


def squad_units(
    folder: str | os.PathLike[str], config: str | os.PathLike[str] | None = None
) -> str:
    """The units a squad is shown in: ``[display] units`` of the squad's config (``config``,
    else the one found from ``folder`` as ``find_members`` finds it), metric without one;
    a broken config is already each athlete's own problem, so here it is metric too."""
    try:
        return load_settings(config, cwd=Path(folder)).display.units
    except RunloadError:
        return "metric"


def _method_group(settings: Settings, units: str = "metric") -> Settings:
    """The settings that shape the method (not who the athlete is, nor where the files are,
    nor the units they read in: every reason of the squad is worded in the team's ``units``):
    athletes with equal ones share one polars pass."""
    return dataclasses.replace(
        settings,
        athlete=type(settings.athlete)(),
        paths=type(settings.paths)(),
        display=type(settings.display)(units=units),  # type: ignore[arg-type]  # a Units value
        source=None,
    )


def _analyse(read: _Read, until: dt.date | None, units: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The method over every athlete read: (activities, days), keyed by athlete; the
    reasons worded in ``units``."""
    from runload.analysis import analyse_many

    groups: dict[Settings, list[str]] = {}
    for member in read.members:
        groups.setdefault(_method_group(member.options.settings, units), []).append(member.name)
    acts_out, days_out = [], []
    for settings, names in groups.items():
        mine = read.only(names) if len(groups) > 1 else read
        acts, days = analyse_many(
            mine.activities, mine.sitting, mine.athletes, settings, until=until
        )
        acts_out.append(acts)
        days_out.append(days)
    return pl.concat(acts_out, how="diagonal_relaxed"), pl.concat(days_out, how="diagonal_relaxed")


def _days_asked(members: Sequence[Member], day: dt.date | None) -> pl.DataFrame:
    from runload.report import today

    return pl.DataFrame(
        {
            ATHLETE_KEY: [m.name for m in members],
            "_day": [day or today(m.options.settings) for m in members],
        },
        schema={ATHLETE_KEY: pl.String, "_day": pl.Date},
    )


def _up_to(frame: pl.DataFrame, asked: pl.DataFrame) -> pl.DataFrame:
    return frame.join(asked, on=ATHLETE_KEY).filter(pl.col("date") <= pl.col("_day")).drop("_day")


def team(
    folder: str | os.PathLike[str],
    *,
    day: dt.date | None = None,
    config: str | os.PathLike[str] | None = None,
    run: Options | None = None,
    progress: Callable[..., Any] | None = None,
    units: str | None = None,
) -> Team:
    """Every athlete of ``folder`` on ``day`` (default: today in each one's time zone), from
    all their data up to that day. ``run`` carries the squad-wide choices (jobs, cache,
    Dask); its settings are not used (each athlete has their own). ``units``: what every
    athlete's reasons are worded in (``squad_units`` when None)."""
    from runload.span import refuse_far_day

    if day is not None:
        refuse_far_day(day, dt.date.today())
    members, failed = find_members(folder, config=config)
    run = run or Options(settings=Settings(), paths=())
    shown = with_units(run.settings, units or squad_units(folder, config))
    read = _read_squad(members, run, progress)
    failed += read.failed
    if not read.members:
        return Team(
            day,
            _empty_team(),
            _empty_season(),
            problems=read.problems,
            failed=failed,
            duplicates=read.duplicates,
            settings=shown,
        )
    asked = _days_asked(read.members, day)
    read.activities = _up_to(read.activities, asked)
    read.sitting = _up_to(read.sitting, asked)
    # an athlete with no run on or before their day has nothing to check
    with_runs = set(read.activities.filter(pl.col("is_run")).get_column(ATHLETE_KEY).to_list())
    days_of = dict(asked.iter_rows())
    for member in read.members:
        if member.name not in with_runs:
            failed.append(_left_out(member.folder, f"no runs on or before {days_of[member.name]}"))
    read = read.only([m.name for m in read.members if m.name in with_runs])
    if not read.members:
        return Team(
            day,
            _empty_team(),
            _empty_season(),
            problems=read.problems,
            failed=failed,
            duplicates=read.duplicates,
            settings=shown,
        )
    last_asked = asked.get_column("_day").max()
    until = last_asked if isinstance(last_asked, dt.date) else None
    acts, season = _analyse(read, until, shown.display.units)
    season = _up_to(season, asked)
    last_run = (
        acts.filter(pl.col("is_run"))
        .group_by(ATHLETE_KEY)
        .agg(pl.col("date").max().alias("last_run"))
    )
    rows = (
        season.join(asked, on=ATHLETE_KEY)
        .filter(pl.col("date") == pl.col("_day"))
        .drop("_day")
        .join(last_run, on=ATHLETE_KEY, how="left")
        .with_columns((pl.col("date") - pl.col("last_run")).dt.total_days().alias("days_since_run"))
    )
    rows = rows.sort(
        pl.col("risk").replace_strict(LEVEL_ORDER, default=9, return_dtype=pl.Int8),
        pl.col("score"),
        pl.col(ATHLETE_KEY),
        descending=[False, True, False],
    ).select(ATHLETE_KEY, *DAY_COLUMNS, *TEAM_EXTRA_COLUMNS)
    names = set(rows.get_column(ATHLETE_KEY).to_list())
    return Team(
        day,
        rows,
        season.select(ATHLETE_KEY, *DAY_COLUMNS),
        athletes={k: v for k, v in read.rows.items() if k in names},
        notes={k: v for k, v in read.notes.items() if k in names},
        problems=read.problems,
        failed=failed,
        settings=shown,
        duplicates=read.duplicates,
    )


def team_season(
    folder: str | os.PathLike[str],
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    config: str | os.PathLike[str] | None = None,
    run: Options | None = None,
    progress: Callable[..., Any] | None = None,
    units: str | None = None,
) -> Team:
    """Every athlete's whole season (or ``date_from``..``date_to``): ``Team.season`` holds
    all their days, ``Team.days`` is empty. The method runs over the whole data so the load
    metrics have their history; the period cuts the days after. ``units`` as for ``team``."""
    members, failed = find_members(folder, config=config)
    run = run or Options(settings=Settings(), paths=())
    shown = with_units(run.settings, units or squad_units(folder, config))
    read = _read_squad(members, run, progress, date_from, date_to)
    failed += read.failed
    if not read.members:
        return Team(
            None,
            _empty_team(),
            _empty_season(),
            problems=read.problems,
            failed=failed,
            duplicates=read.duplicates,
            settings=shown,
        )
    _acts, season = _analyse(read, None, shown.display.units)
    if date_from is not None:
        season = season.filter(pl.col("date") >= date_from)
    if date_to is not None:
        season = season.filter(pl.col("date") <= date_to)
    season = season.sort(ATHLETE_KEY, "date").select(ATHLETE_KEY, *DAY_COLUMNS)
    return Team(
        None,
        _empty_team(),
        season,
        athletes=read.rows,
        notes=read.notes,
        problems=read.problems,
        failed=failed,
        settings=shown,
        duplicates=read.duplicates,
    )


def _empty_season() -> pl.DataFrame:
    from runload.analysis import analyse

    days = analyse(None, None, Settings()).days
    return days.select(pl.lit(None, dtype=pl.String).alias(ATHLETE_KEY), *DAY_COLUMNS).clear()


def _empty_team() -> pl.DataFrame:
    season = _empty_season()
    return season.with_columns(
        pl.lit(None, dtype=pl.Date).alias("last_run"),
        pl.lit(None, dtype=pl.Int64).alias("days_since_run"),
    ).clear()


# --- the Parquet dataset ----------------------------------------------------------------------


def write_season(
    season: pl.DataFrame, target: str | os.PathLike[str], *, display_units: str = "metric"
) -> Path:
    """Write ``season`` as a Parquet dataset partitioned by athlete (``athlete=NAME/…``,
    hive style: polars ``scan_parquet(..., hive_partitioning=True)``, DuckDB
    ``read_parquet('…/**/*.parquet', hive_partitioning=true)`` and Spark read it as is).

    Written into a new folder beside ``target`` and moved into place once complete, so a
    reader never sees half a dataset. An existing ``target`` is replaced only when runload
    wrote it (it holds ``SEASON_MARK``); anything else there is refused. The mark says
    which units the reasons' ``detail`` sentences use (``display_units``); the columns keep
    km and minutes."""
    import json

    from runload import __version__

    out = Path(target)
    if out.is_symlink() or (out.exists() and not (out.is_dir() and (out / SEASON_MARK).is_file())):
        raise InputError(
            "exists and is not a season dataset runload wrote: not replacing it "
            "(choose another folder)",
            path=out,
        )
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        if season.height:
            season.write_parquet(fresh, partition_by=ATHLETE_KEY)
        mark = {
            "runload_version": __version__,
            "partitioned_by": ATHLETE_KEY,
            "athletes": season.get_column(ATHLETE_KEY).n_unique() if season.height else 0,
            "days": season.height,
            "columns": list(DAY_COLUMNS),
            "display_units": display_units,
        }
        (fresh / SEASON_MARK).write_text(json.dumps(mark, indent=2) + "\n", encoding="utf-8")
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            os.replace(out, old / out.name)
        os.replace(fresh, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise InputError(
            f"cannot write the season dataset: {exc.strerror or exc}", path=out
        ) from None
    return out
