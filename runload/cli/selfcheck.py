"""``runload selfcheck``: two self-tests and where it hurts, guided on a terminal or given as
options, recorded in the sitting log. Thin: prompts and options → ``runload.api.selfcheck``."""

from __future__ import annotations

import datetime as dt
import sys

import click

from runload.body import PAIN_SITES, SIDES
from runload.cli._common import config_option, date_option, resolve

SIDE_CHOICE = click.Choice(SIDES, case_sensitive=False)


def _pain(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    from runload.body import parse_pain

    for value in values:
        try:
            parse_pain(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return values


def _guided() -> dict[str, object]:
    """Each test's steps, then its question; about two minutes in all."""
    from runload.body import parse_pain
    from runload.selfcheck import GUIDE, NOT_A_DIAGNOSIS

    click.echo(NOT_A_DIAGNOSIS)
    answers: dict[str, object] = {}
    for step in GUIDE:
        click.echo("")
        click.secho(step.title, bold=True)
        for line in step.how:
            click.echo(f"  {line}")
        if step.key == "pain":
            while True:
                text = click.prompt(step.question, default="none")
                try:
                    parse_pain(text)
                except ValueError as exc:
                    click.echo(f"  {exc}")
                    continue
                answers["pain"] = (text,)
                break
        else:
            answers[step.key] = click.prompt(step.question, type=SIDE_CHOICE, default="none")
    return answers


@click.command("selfcheck")
@click.option(
    "--date", "day", callback=date_option, metavar="YYYY-MM-DD", help="The day (default: today)."
)
@click.option(
    "--trendelenburg",
    type=SIDE_CHOICE,
    help="The standing leg whose other hip dropped (left: on the left leg, the right hip "
    "dropped), or none.",
)
@click.option("--thomas", type=SIDE_CHOICE, help="The leg whose thigh lifted, or none.")
@click.option(
    "--pain",
    multiple=True,
    callback=_pain,
    metavar="SITE",
    help=f"Where it hurts (repeat it): {', '.join(PAIN_SITES)}.",
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    help="The log file (default: [sitting] log from the config, else ./sitting.csv).",
)
@click.option("--ask", is_flag=True, help="Ask the questions even when input is not a terminal.")
@config_option
def selfcheck_command(
    ask: bool,
    day: dt.date | None,
    trendelenburg: str | None,
    thomas: str | None,
    pain: tuple[str, ...],
    log_path: str | None,
    config_path: str | None,
) -> None:
    """Two self-tests and where it hurts, about two minutes, saved in the sitting log.

    On a terminal with no test given, it guides you through the Trendelenburg test
    (stand on one leg in front of a mirror: does the other hip drop? a weak glute
    medius) and the Thomas test (lie on the edge of a bed, one knee to the chest: does
    the other thigh lift? a tight hip flexor), then asks where it hurts (--ask: also when
    input is not a terminal). With
    --trendelenburg/--thomas it writes without asking. Sides name the standing leg
    (Trendelenburg) or the leg whose thigh lifted (Thomas): none, left, right, both.

    The findings go into that day's row of the log (columns trendelenburg, thomas, pain;
    a row without hours is made when the day has none, and `sitting add` fills its
    hours later). A positive test counts for 14 days and pain for 7 in the risk of days
    with a run factor; check and report then say what to do for that side. A self-check,
    not a diagnosis. Exit status: 0 saved; 1 the log cannot be written; 2 a usage
    mistake (a bad value, no test given off a terminal).

    \b
    Example:
      runload selfcheck
      runload selfcheck --date 2026-06-16 --trendelenburg left --thomas none --pain knee
    """
    from runload import api

    if trendelenburg is None and thomas is None:
        if not (ask or sys.stdin.isatty()) and not pain:
            raise click.UsageError(
                "give --trendelenburg and --thomas (none|left|right|both), or run it on a "
                "terminal to be guided"
            )
        if pain:
            raise click.UsageError("--pain goes with a test: give --trendelenburg or --thomas")
        answers = _guided()
        trendelenburg = str(answers["trendelenburg"])
        thomas = str(answers["thomas"])
        pain = tuple(answers["pain"])  # type: ignore[arg-type]  # the prompt gives a list of sides
    day = day or dt.date.today()
    path = resolve(
        (), (), config_path=config_path, log=log_path, need_paths=False, default_sitting=False
    ).log
    result = api.selfcheck(
        path, day, trendelenburg=trendelenburg and trendelenburg.lower(),
        thomas=thomas and thomas.lower(), pain=pain,
    )  # fmt: skip
    found = ", ".join(f"{k} {v}" for k, v in result.written.items())
    verb = "replaced the self-check of" if result.previous else "saved"
    made = " (new log)" if result.created else ""
    click.echo(f"{verb} {day}: {found} in {path}{made}")


COMMANDS: list[click.Command] = [selfcheck_command]
