"""The ``runload`` command: a thin click layer over the library.

Each command lives in its own module here and calls the library function of
the same name; nothing here computes. Heavy modules are imported inside the
commands so ``runload --help`` stays fast.
"""

from __future__ import annotations

import click

from runload import __version__
from runload.cli._common import RunloadGroup


@click.group(cls=RunloadGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="runload")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """runload: running load meets desk sitting.

    Reads Garmin FIT activity files and a daily sitting log, computes the
    running load, flags the days where a long run or a load jump meets long
    sitting, and says what to do. Not medical advice.

    \b
    Example:
      runload report examples/season --sitting examples/sitting.csv --html report.html
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    from runload.cli import config, ingest, plan, report, selfcheck, sitting, sources, team

    for module in (ingest, sitting, selfcheck, config, report, plan, sources, team):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


def run() -> None:
    """The ``runload`` console script and ``python -m runload``: ``main`` at a short
    command's pace of garbage collection, then the process ends at once
    (``runload.cli.process``). Tests call ``main`` through click's runner."""
    from runload.cli.process import end_now, pace_collector

    pace_collector()
    try:
        main(prog_name="runload")
    except SystemExit as exc:  # (click's standalone ``main`` always ends with one)
        end_now(exc.code)
    end_now(0)
