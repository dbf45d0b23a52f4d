"""``runload team``: every athlete of a squad folder on one day (or their whole seasons as a
Parquet dataset). Thin: map the flags, call ``runload.api.team`` / ``team_season``, hand the
result to ``runload.render.team``."""

from __future__ import annotations

import datetime as dt
import sys

import click

from runload.cli._common import (
    DASK_KEY,
    EXIT_PROBLEMS,
    cache_options,
    config_option,
    dask_option,
    date_option,
    day_option,
    echo_err,
    echo_problems,
    finish,
    format_option,
    jobs_option,
    progress_bar,
    stdout_is_terminal,
    units_given,
    units_option,
    verbose_enabled,
    verbose_option,
)
from runload.cli.report import CHECK_EXIT, html_file_option, period_of

TEAM_FORMATS = ("table", "json", "csv", "markdown")


@click.command("team")
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@click.option(
    "--date",
    "day",
    callback=day_option,
    metavar="DATE",
    help="The day to check (default: today, in each athlete's time zone).",
)
@format_option(TEAM_FORMATS)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=str),
    callback=html_file_option,
    help="Also write one offline HTML page: the athletes' table and a chart each.",
)
@click.option(
    "--season",
    "season_dir",
    metavar="FOLDER",
    default=None,
    help="Write every athlete's whole season (or --from/--to) as a Parquet dataset "
    "partitioned by athlete (FOLDER/athlete=NAME/...) instead of the day's table.",
)
@click.option("--from", "date_from", callback=date_option, metavar="DATE", help="With --season.")
@click.option("--to", "date_to", callback=date_option, metavar="DATE", help="With --season.")
@config_option
@jobs_option
@dask_option
@cache_options
@units_option
@verbose_option
def team_command(
    folder: str,
    day: dt.date | None,
    fmt: str | None,
    html_path: str | None,
    season_dir: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    config_path: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """Who should stretch before today's run, who should rest, and why: one row per athlete.

    FOLDER holds one folder per athlete (the folder name is the athlete's name),
    each with its FIT files or exports, optionally its own runload.toml (hr_max,
    sex, timezone...; else --config or ./runload.toml) and its sitting log or
    sitting exports. The table is sorted high first. An athlete folder that
    fails (no files, a broken config) is one line under "Left out"; the others
    are reported. Not medical advice.

    Exit status (as check): 0 every athlete low, 3 the worst is elevated, 4 the
    worst is high; 1 no athlete could be reported; 2 a usage mistake. With
    --season: 0 written, 1 nothing to write.

    \b
    Example:
      runload team squad/
      runload team squad/ --date 2026-05-08 --html squad.html
      runload team cohort/ --season cohort.parquet --dask tcp://scheduler:8786
    """
    from runload import api

    ctx = click.get_current_context()
    units = units_given()
    run = api.resolve_options(
        None,
        settings=api.Settings(),
        cache_dir=cache_dir,
        use_cache=not no_cache,
        jobs=jobs,
        dask=ctx.meta.get(DASK_KEY),
        need_paths=False,
        default_sitting=False,
    )
    if season_dir is None and (date_from or date_to):
        raise click.UsageError("--from/--to go with --season (the day's table uses --date)")
    if season_dir is not None:
        if day is not None or html_path:
            raise click.UsageError("--season writes the dataset; --date and --html are for the day")
        period = period_of(date_from, date_to)
        with progress_bar() as progress:
            result = api.team_season(
                folder, config=config_path, run=run, progress=progress, units=units, **period
            )
        echo_problems([*result.failed, *result.problems])
        if result.season.height == 0:
            echo_err(f"{season_dir}: not written, no athlete has a day to write")
            finish(EXIT_PROBLEMS)
        written = api.write_season(
            result.season, season_dir, display_units=result.settings.display.units
        )
        athletes = result.season.get_column("athlete").n_unique()
        echo_err(
            f"season dataset written to {written}: {athletes} athlete(s), "
            f"{result.season.height} days"
        )
        finish(0)

    with progress_bar() as progress:
        result = api.team(
            folder, day=day, config=config_path, run=run, progress=progress, units=units
        )
    fmt = (fmt or ("table" if stdout_is_terminal() else "csv")).lower()
    from runload.render import team as render

    if fmt == "json":
        click.echo(render.team_json(result), nl=False)
    elif fmt == "markdown":
        click.echo(render.team_markdown(result), nl=False)
    elif fmt == "csv":
        click.echo(render.team_csv(result), nl=False)
        echo_problems([*result.failed, *result.problems])
    else:
        from rich.console import Console

        render.print_team(result, Console(), Console(stderr=True), verbose=verbose_enabled())
    if html_path:
        written = render.write_team_html(result, html_path)
        sys.stdout.flush()
        echo_err(f"HTML page written to {written}")
    worst = result.worst
    finish(EXIT_PROBLEMS if worst is None else CHECK_EXIT.get(worst, 0))


COMMANDS: list[click.Command] = [team_command]
