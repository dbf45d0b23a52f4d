"""``runload report``, ``runload check`` and ``runload plot``: the season report, the
pre-run check and the HTML page. Thin: map the flags onto ``Options``, call the
``runload.api`` function of the same name, hand the result to a renderer. polars, plotly
and rich are imported inside the commands."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

from runload.cli._common import (
    EXIT_ELEVATED,
    EXIT_HIGH,
    EXIT_OK,
    EXIT_PROBLEMS,
    cache_options,
    config_option,
    dask_option,
    date_option,
    day_option,
    echo_err,
    echo_notes,
    echo_problems,
    finish,
    format_option,
    inputs_options,
    jobs_option,
    progress_bar,
    resolve,
    stdout_is_terminal,
    units_option,
    verbose_enabled,
    verbose_option,
)

CHECK_EXIT = {"low": EXIT_OK, "elevated": EXIT_ELEVATED, "high": EXIT_HIGH}
REPORT_FORMATS = ("table", "csv", "json", "markdown")


def run_length(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """A run's length (``--planned``, ``plan --long``): 90min, 1h30, 1.5h; 1 min to 24 h."""
    if value is None:
        return None
    from runload.units import parse_duration_minutes

    try:
        minutes = parse_duration_minutes(value, bare_unit=None)  # 2: minutes or hours?
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    if not 0 < minutes <= 24 * 60:
        raise click.BadParameter(f'"{value}" is not a run length (1 min to 24 h)', ctx=ctx)
    return minutes


def _period_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--from and --to, shared by report and plot."""
    f = click.option(
        "--to", "date_to", callback=date_option, metavar="DATE", help="Last day shown (YYYY-MM-DD)."
    )(f)
    return click.option(
        "--from",
        "date_from",
        callback=date_option,
        metavar="DATE",
        help="First day shown (YYYY-MM-DD).",
    )(f)


@contextlib.contextmanager
def _problems_first(error: type[Exception]) -> Iterator[None]:
    """List the input problems an ``error`` carries (unreadable files...) before its line."""
    try:
        yield
    except error as exc:
        echo_problems(getattr(exc, "problems", []))
        raise


def html_file_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("give a file name for the HTML report", ctx=ctx, param=param)
    if value is None:
        return None
    from runload.fsutil import HTML_STARTS, WriteRefusedError, foreign_file, write_target

    try:  # before the report is computed: a FIFO, a device, a read-only page
        write_target(value)
    except WriteRefusedError as exc:
        raise click.BadParameter(f"{value}: {exc.strerror or exc}", ctx=ctx, param=param) from None
    except OSError:  # a file where a folder should be...: the write says so, one line
        pass
    if foreign_file(value, starts=HTML_STARTS):
        raise click.BadParameter(
            f"{value} exists and is not an HTML page: not replacing it (choose another name)",
            ctx=ctx,
            param=param,
        )
    return value


def _consoles() -> tuple[Any, Any]:
    from rich.console import Console

    return Console(), Console(stderr=True)


def period_of(date_from: dt.date | None, date_to: dt.date | None) -> dict[str, dt.date | None]:
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"--from {date_from} is after --to {date_to}")
    return {"date_from": date_from, "date_to": date_to}


def _written(path: Any) -> None:
    sys.stdout.flush()
    echo_err(f"HTML report written to {path}")


def _emit(rep: Any, fmt: str, all_days: bool) -> None:
    from runload.render import formats

    if fmt == "table":
        from runload.render.terminal import print_report

        out, err = _consoles()
        print_report(rep, out, err, all_days=all_days, verbose=verbose_enabled())
        return
    if fmt == "json":
        click.echo(formats.report_json(rep), nl=False)
        return
    if fmt == "markdown":
        click.echo(formats.report_markdown(rep, all_days=all_days), nl=False)
        return
    click.echo(formats.report_csv(rep), nl=False)
    _echo_items(rep)


def _echo_items(rep: Any) -> None:
    """The problems, then the copies merged (not problems), on stderr."""
    echo_problems(rep.problems)
    echo_problems(rep.duplicates, noun="copies merged")


def _nothing_to_report(rep: Any, fmt: str, html_path: str | None) -> None:
    """No day to show (nothing read, no run, the period outside the data): the problems, one
    line each, say why; no empty table. JSON still prints its document (it carries them)."""
    if fmt == "json":
        _emit(rep, "json", all_days=False)
    else:
        _echo_items(rep)
    if html_path:
        echo_err(f"{html_path}: not written, there is no day to show")
    finish(EXIT_PROBLEMS)


@click.command("report")
@inputs_options
@_period_options
@format_option(REPORT_FORMATS)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=str),
    callback=html_file_option,
    help="Also write the HTML report (one offline file with the plots) to this file.",
)
@click.option("--all", "all_days", is_flag=True, help="Show every day, not only the risk days.")
@config_option
@jobs_option
@dask_option
@cache_options
@units_option
@verbose_option
def report_command(
    paths: tuple[str, ...],
    sitting: tuple[str, ...],
    date_from: dt.date | None,
    date_to: dt.date | None,
    fmt: str | None,
    html_path: str | None,
    all_days: bool,
    config_path: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """The season report: load, long runs, sitting and the days that need care.

    PATH: FIT files, folders or .zip exports. The table lists every elevated or
    high day with its reasons and what to do (--all: every day), then any
    problems with the input. --format json gives the whole day and activity
    tables. Not medical advice.

    Exit status: 0 the report; 1 nothing to report (no activity read, no run,
    or --from/--to outside the data: one line each says why), or an input that
    cannot be read; 2 a usage mistake (a bad option or value, a PATH or
    --sitting that is missing or cannot be read, a broken runload.toml).

    \b
    Example:
      runload report examples/season --sitting examples/sitting.csv --html report.html
      runload report ~/garmin --sitting sitting.csv --from 2026-04-01 --format json
    """
    from runload import api

    fmt = (fmt or ("table" if stdout_is_terminal() else "csv")).lower()
    period = period_of(date_from, date_to)
    options = resolve(
        paths, sitting, config_path=config_path, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache
    )
    with progress_bar() as progress:
        rep = api.report(options, **period, progress=progress)
    echo_notes(rep.run_notes)
    if rep.empty:
        _nothing_to_report(rep, fmt, html_path)
    _emit(rep, fmt, all_days)
    if html_path:
        _written(api.write_html(rep, html_path))


@click.command("plot")
@inputs_options
@_period_options
@click.option(
    "--html",
    "-o",
    "html_path",
    type=click.Path(dir_okay=False, path_type=str),
    callback=html_file_option,
    default="report.html",
    show_default=True,
    help="The HTML file to write.",
)
@config_option
@jobs_option
@dask_option
@cache_options
@units_option
@verbose_option
def plot_command(
    paths: tuple[str, ...],
    sitting: tuple[str, ...],
    date_from: dt.date | None,
    date_to: dt.date | None,
    html_path: str,
    config_path: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """Only the HTML report (same as `runload report --html FILE`, without the table).

    Exit status: 0 written; 1 nothing to report (nothing written) or an input that
    cannot be read; 2 a usage mistake (a bad option or value, a PATH or --sitting
    that is missing or cannot be read, a broken runload.toml).

    \b
    Example:
      runload plot examples/season --sitting examples/sitting.csv -o report.html
    """
    from runload import api

    period = period_of(date_from, date_to)
    options = resolve(
        paths, sitting, config_path=config_path, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache
    )
    with progress_bar() as progress:
        rep, written = api.plot(options, html_path, **period, progress=progress)
    echo_notes(rep.run_notes)
    if written is None:
        _nothing_to_report(rep, "text", html_path)
    _echo_items(rep)
    _written(written)


@click.command("check")
@inputs_options
@click.option(
    "--date",
    "day",
    callback=day_option,
    metavar="DATE",
    help="The day to check (default: today, in the config's time zone when set).",
)
@click.option(
    "--planned",
    "planned",
    callback=run_length,
    metavar="DURATION",
    help="A run you plan that day, with its unit: 90min, 1h30, 1.5h or 1:30 (long if 90 min "
    "or more; a bare number is refused: minutes or hours?).",
)
@format_option(("text", "json"))
@config_option
@jobs_option
@dask_option
@cache_options
@units_option
@verbose_option
def check_command(
    paths: tuple[str, ...],
    sitting: tuple[str, ...],
    day: dt.date | None,
    planned: float | None,
    fmt: str | None,
    config_path: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """What about today's run? The risk of the day, why, and what to do.

    Uses all data up to the day, that day's sitting when logged, and an optional
    planned run at your usual load per minute. Not medical advice.

    \b
    Exit status:
      0  low
      3  elevated
      4  high
      1  nothing to check (no run on or before the day, no activity read)
         or an input that cannot be read
      2  a usage mistake (a bad date, duration or option, a PATH or
         --sitting that is missing or cannot be read: never a level
         computed without it) or a broken runload.toml
    1 and 2 are errors, not a risk: a script tests for 3 and 4, not for
    "not 0" (`runload check ... || echo "stretch first"` fires on errors too).

    \b
    Example:
      runload check examples/season --sitting examples/sitting.csv --date 2026-05-08
      runload check ~/garmin --sitting sitting.csv --planned 1h30
      runload check ~/garmin; case $? in 3|4) echo "stretch first";; esac
    """
    from runload import api
    from runload.errors import NothingToCheckError

    options = resolve(
        paths, sitting, config_path=config_path, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache
    )
    with progress_bar() as progress, _problems_first(NothingToCheckError):
        result = api.check(options, day=day, planned_minutes=planned, progress=progress)
    echo_notes(result.run_notes)
    if (fmt or "text").lower() == "json":
        from runload.render.formats import check_dict
        from runload.render.tables import dumps

        click.echo(dumps(check_dict(result)))
    else:
        from runload.render.terminal import print_check

        out, err = _consoles()
        print_check(result, out, err, verbose=verbose_enabled())
    finish(CHECK_EXIT.get(result.risk, 0))


COMMANDS: list[click.Command] = [report_command, check_command, plot_command]
