"""``runload plan``: the week ahead. Thin: parse the week, the long run and the planned runs,
call ``runload.api.plan``, hand the result to a renderer."""

from __future__ import annotations

import datetime as dt

import click

from runload.cli._common import (
    cache_options,
    config_option,
    day_option,
    echo_problems,
    finish,
    format_option,
    inputs_options,
    jobs_option,
    progress_bar,
    resolve,
    units_option,
    verbose_option,
)
from runload.cli.report import CHECK_EXIT, run_length


def _week_of(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return day_option(ctx, param, value)


def _runs(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[int, float]]:
    """``--run "tue 45min"`` → (1, 45.0)."""
    from runload.plan import parse_weekday

    out = []
    for value in values:
        day, _, length = value.strip().partition(" ")
        try:
            weekday = parse_weekday(day)
        except ValueError as exc:
            raise click.BadParameter(f'"{value}": {exc}', ctx=ctx, param=param) from None
        minutes = run_length(ctx, param, length.strip() or None)
        if minutes is None:
            raise click.BadParameter(
                f'"{value}" has no length (a day and a length: "tue 45min")', ctx=ctx, param=param
            )
        out.append((weekday, minutes))
    return out


@click.command("plan")
@inputs_options
@click.option(
    "--week-of",
    "week_of",
    required=True,
    callback=_week_of,
    metavar="DATE",
    help="First day of the week to plan (YYYY-MM-DD), usually a Monday.",
)
@click.option(
    "--long",
    "long_minutes",
    required=True,
    callback=run_length,
    metavar="DURATION",
    help="Length of the long run: 2h, 1h45, 105min.",
)
@click.option(
    "--run",
    "runs",
    multiple=True,
    callback=_runs,
    metavar='"DAY DURATION"',
    help='Another run planned that week, e.g. --run "tue 45min" (repeat it).',
)
@format_option(("table", "json"))
@config_option
@jobs_option
@cache_options
@units_option
@verbose_option
def plan_command(
    paths: tuple[str, ...],
    sitting: tuple[str, ...],
    week_of: dt.date,
    long_minutes: float,
    runs: list[tuple[int, float]],
    fmt: str | None,
    config_path: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """On which day of a week does the long run fit best around the desk?

    For each of the 7 days from --week-of: the sitting expected that day (the median of
    your own sitting on that weekday in the 8 weeks before, from any source; a day
    already logged keeps its own), the runs you plan (--run), and the risk if the long
    run were on that day, with its reasons. The best day has the least risk; among
    equals the least sitting, then the earliest. Not medical advice.

    \b
    Exit status (the best day's level, as check gives it):
      0  low
      3  elevated
      4  high
      1  too little history (it says how much is needed) or an input that
         cannot be read
      2  a usage mistake (a bad date, duration or option)

    \b
    Example:
      runload plan examples/season --sitting examples/sitting.csv \\
        --week-of 2026-06-22 --long 2h --run "tue 45min" --run "thu 45min"
    """
    from runload import api
    from runload.plan import PlanHistoryError

    options = resolve(
        paths, sitting, config_path=config_path, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache
    )
    try:
        with progress_bar() as progress:
            result = api.plan(
                options, week_of=week_of, long_minutes=long_minutes, runs=runs, progress=progress
            )
    except PlanHistoryError as exc:
        echo_problems(exc.problems)
        raise
    if (fmt or "table").lower() == "json":
        from runload.render.plan import plan_dict
        from runload.render.tables import dumps

        click.echo(dumps(plan_dict(result)))
    else:
        from rich.console import Console

        from runload.render.plan import plan_lines
        from runload.render.terminal import print_lines

        print_lines(plan_lines(result), Console())
        echo_problems(result.problems)
    finish(CHECK_EXIT.get(result.best.risk, 0))


COMMANDS: list[click.Command] = [plan_command]
