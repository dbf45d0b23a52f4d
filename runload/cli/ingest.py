"""``runload ingest``: read a season of FIT files into the activities table and show it.

Thin: ``runload.ingest.ingest`` does the work and ``runload.render.activities`` the
formatting; this prints the table (stdout), a one-line summary, the merged copies and
the problems (stderr).
"""

from __future__ import annotations

import click

from runload.cli._common import (
    EXIT_PROBLEMS,
    cache_options,
    config_option,
    echo_err,
    echo_notes,
    echo_problems,
    format_option,
    jobs_option,
    progress_bar,
    stdout_is_terminal,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@format_option()
@jobs_option
@cache_options
@config_option
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file had a problem.")
def ingest(
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
    archives (Garmin Connect / Strava bulk exports), in any mix. Each session is
    one row; copies of the same activity are kept once. Bad files are reported on
    stderr and the rest goes on. Parsed files are cached, so re-runs are instant.

    The table goes to stdout (the main columns on a terminal; CSV with every column
    when piped; or --format);
    a summary and the problems go to stderr. Exit status: 0 when activities were
    read, 1 when none could be (or, with --strict, when any file had a problem).

    \b
    Example:
      runload ingest ~/garmin-export.zip season/ --format json > activities.json
    """
    from runload.config import load_settings
    from runload.ingest import ingest as run_ingest
    from runload.render.activities import (
        merge_lines,
        nothing_read_line,
        render_activities,
        summary_line,
    )

    settings = load_settings(config_path)
    with progress_bar() as bar:
        result = run_ingest(
            paths,
            jobs=jobs,
            cache_dir=cache_dir,
            use_cache=not no_cache,
            timezone=settings.athlete.timezone,
            progress=bar,
            hr_samples=False,  # never shown here: not even read from the cache
        )

    echo_notes(result.notes)
    fmt = (fmt or ("table" if stdout_is_terminal() else "csv")).lower()
    click.echo(render_activities(result, fmt), nl=False)
    echo_err(summary_line(result))
    for line in merge_lines(result):
        echo_err(line)
    echo_problems(result.problems)
    if result.activities.height == 0:
        echo_err(nothing_read_line(result))
        raise SystemExit(EXIT_PROBLEMS)
    if strict and result.problems:
        raise SystemExit(EXIT_PROBLEMS)


COMMANDS = [ingest]
