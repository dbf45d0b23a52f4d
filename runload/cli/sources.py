"""``runload sources``: what runload finds in a download before you trust a report made
from it. Thin: the flags become ``Options``, ``runload.sources.sources`` reads, and
``runload.render.sources`` formats."""

from __future__ import annotations

import click

from runload.cli._common import (
    EXIT_PROBLEMS,
    cache_options,
    config_option,
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
    verbose_option,
)


@click.command("sources")
@inputs_options
@format_option()
@config_option
@jobs_option
@cache_options
@verbose_option
def sources_command(
    paths: tuple[str, ...],
    sitting: tuple[str, ...],
    fmt: str | None,
    config_path: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """What was found where: activity files by kind (FIT, GPX, TCX) with the activities
    and days they give, and the sitting sources by kind (log, Garmin daily summaries,
    monitoring files, Fitbit, Apple stand hours) with the days each gives, exactly as
    `runload report` would read them. `merged` counts the copies merged into another
    file's activity (the same run in two exports), `no activity` the files that gave none
    (monitoring files, settings, broken files). Problems and merged copies go to stderr.
    Exit status: 0 something was found; 1 nothing was; 2 a usage mistake (a bad option, a
    PATH or --sitting that is missing or cannot be read, a broken runload.toml).

    \b
    Example:
      runload sources garmin_export.zip
      runload sources strava_export.zip --sitting apple_health_export.zip --format json
    """
    from runload.render.sources import render_sources
    from runload.sources import sources

    options = resolve(
        paths, sitting, config_path=config_path, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache
    )
    with progress_bar() as bar:
        result = sources(options, progress=bar)
    echo_notes(result.notes)
    fmt = (fmt or ("table" if stdout_is_terminal() else "csv")).lower()
    click.echo(render_sources(result, fmt), nl=False)
    echo_problems(result.duplicates, noun="copies merged")
    echo_problems(result.problems)
    if not result.found:
        echo_err("nothing found: no activity files or sitting sources in the given paths")
        finish(EXIT_PROBLEMS)


COMMANDS: list[click.Command] = [sources_command]
