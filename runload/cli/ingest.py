"""``runload ingest``: read a season of FIT files into the activities table and show it.

Thin: the flags become ``Options`` (``runload.toml``'s cache folder and time zone apply
here as in every command), ``runload.ingest.ingest`` does the work and
``runload.render.activities`` the formatting; this prints the table (stdout), a one-line
summary, the merged copies and the problems (stderr).
"""

from __future__ import annotations

import click

from runload.cli._common import (
    EXIT_PROBLEMS,
    cache_options,
    config_option,
    dask_option,
    echo_err,
    echo_notes,
    echo_problems,
    finish,
    format_option,
    jobs_option,
    progress_bar,
    resolve,
    stdout_is_terminal,
    units_option,
    verbose_option,
)
from runload.errors import shown_problems


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@format_option()
@jobs_option
@dask_option
@cache_options
@config_option
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file had a problem.")
@units_option
@verbose_option
def ingest_command(
    paths: tuple[str, ...],
    fmt: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
    config_path: str | None,
    strict: bool,
) -> None:
    """Read FIT activity files into one activities table.

    PATHS are FIT files (.fit, .fit.gz), folders (searched recursively) and .zip
    archives (Garmin Connect / Strava bulk exports), in any mix; without PATHS,
    [paths] activities from runload.toml, as report and check. Each session is
    one row; copies of the same activity are kept once. Bad files are reported on
    stderr and the rest goes on. Parsed files are cached, so re-runs are instant.

    The table goes to stdout (the main columns on a terminal; CSV with every column
    when piped; or --format);
    a summary and the problems go to stderr. Exit status: 0 when activities were
    read, 1 when none could be (or, with --strict, when any file had a problem),
    2 a usage mistake (a bad option or value, a PATH that is missing or cannot be
    read, a broken runload.toml).

    \b
    Example:
      runload ingest ~/garmin-export.zip season/ --format json > activities.json
    """
    from runload.ingest import ingest
    from runload.render.activities import (
        monitoring_line,
        nothing_read_line,
        render_activities,
        summary_line,
    )

    options = resolve(
        paths,
        (),
        config_path=config_path,
        jobs=jobs,
        cache_dir=cache_dir,
        no_cache=no_cache,
        default_sitting=False,
    )
    with progress_bar() as bar:
        # HR samples are never shown here: not even read from the cache
        result = ingest(options, progress=bar, hr_samples=False)

    echo_notes(result.notes)
    fmt = (fmt or ("table" if stdout_is_terminal() else "csv")).lower()
    units = options.settings.display.units
    click.echo(render_activities(result, fmt, units=units), nl=False)
    echo_err(summary_line(result))
    echo_problems(result.duplicates, noun="copies merged")
    if line := monitoring_line(result):
        echo_err(line)
    echo_problems(result.problems)
    if result.activities.height == 0:
        echo_err(nothing_read_line(result))
        finish(EXIT_PROBLEMS)
    if strict and shown_problems(result.problems):  # (an info note is not a problem)
        finish(EXIT_PROBLEMS)


COMMANDS: list[click.Command] = [ingest_command]
