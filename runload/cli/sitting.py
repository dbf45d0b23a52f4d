"""``runload sitting add`` and ``runload sitting show``: keep the manual sitting log and
look at the merged daily sitting table. Thin: the log and the waking window come from
``Options`` (``runload.toml``), parsing and merging live in ``runload.sitting``
(``add_day``, ``read_sitting``), the formats in ``runload.render.sitting``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import click

from runload.cli._common import (
    EXIT_PROBLEMS,
    config_option,
    date_option,
    echo_err,
    echo_problems,
    finish,
    format_option,
    resolve,
    stdout_is_terminal,
    verbose_option,
)
from runload.render.safe import terminal_text


@click.group()
def sitting() -> None:
    """Keep the sitting log and look at daily sitting from every source.

    \b
    Example:
      runload sitting add 9h30 --numbness 2 --seat hard
      runload sitting show sitting.csv garmin-export/ --from 2026-03-01
    """


@sitting.command("add")
@click.argument("hours")
@click.option(
    "--date", "day", callback=date_option, metavar="YYYY-MM-DD", help="The day (default: today)."
)
@click.option(
    "--numbness", type=click.IntRange(0, 10), help="Numb or sore buttock/hip that day, 0-10."
)
@click.option("--seat", type=click.Choice(["hard", "soft"], case_sensitive=False))
@click.option("--note", help="A short note (saved in the notes column).")
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    help="The log file (default: [sitting] log from the config, else ./sitting.csv).",
)
@click.option("--replace", is_flag=True, help="Replace the day if the log already has it.")
@config_option
def add(
    hours: str,
    day: dt.date | None,
    numbness: int | None,
    seat: str | None,
    note: str | None,
    log_path: str | None,
    replace: bool,
    config_path: str | None,
) -> None:
    """Add one day to the sitting log: HOURS sat, written 9.5, 9,5, 9h30, 570m or 9:30.

    The write is atomic: the log is never left half-written. A date already in
    the log is refused unless --replace, which rewrites every field this command
    writes (hours, numbness, seat, note: one not given is emptied; other columns
    stay) and says what the day held. The new row is written the log's way (a log
    saved by Excel keeps its Windows-1252 or UTF-16 encoding, ; separator, CRLF
    line ends, byte-order mark and 9,5 decimal comma); a date in the future is
    added with a warning.
    Exit status: 0 added; 1 not added (the date is in the log, the log cannot be
    read or written); 2 a usage mistake (bad HOURS or option, a broken
    runload.toml).

    \b
    Example:
      runload sitting add 9h30 --date 2026-03-02 --numbness 2 --seat hard --note "long meeting"
    """
    from runload.units import parse_hours

    try:
        value = parse_hours(hours)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="HOURS") from None
    if not 0 <= value <= 24:
        hint = f" (minutes? write {hours.strip()}m)" if value <= 24 * 60 else ""
        raise click.BadParameter(f"{value:g} hours is outside 0–24{hint}", param_hint="HOURS")
    day = day or dt.date.today()

    from runload.sitting import add_day

    path = resolve(
        (), (), config_path=config_path, log=log_path, need_paths=False, default_sitting=False
    ).log
    result = add_day(
        path, day, value, numbness=numbness, seat=seat and seat.lower(), note=note, replace=replace
    )
    given = {"numbness": numbness, "seat": seat, "notes": note}
    verb = "replaced" if result.replaced else "added"
    made = " (new log)" if result.created else ""
    click.echo(
        terminal_text(f"{verb} {day}: {value:.2f} h in {path}{made}{_was(result.previous, given)}")
    )
    if day > dt.date.today():
        echo_err(
            f"{path}: {day} is in the future; added anyway (edit the log if it is a typo) [warning]"
        )


# How each field ``sitting add`` owns reads in the line that says what was replaced.
_FIELD_TEXT = {
    "sitting_hours": "{} h",
    "sitting_minutes": "{} min",
    "numbness": "numbness {}",
    "seat": "seat {}",
    "notes": 'note "{}"',
}


def _was(previous: dict[str, str] | None, given: Mapping[str, object]) -> str:
    """`` (was 8 h, numbness 3; numbness emptied)``: what a replaced day held, and which of
    its fields are empty now because they were not ``given`` again (nothing when the day
    held none: a self-check's row the hours filled)."""
    if not previous:
        return ""
    was = ", ".join(_FIELD_TEXT[k].format(v) for k, v in previous.items() if k in _FIELD_TEXT)
    emptied = [
        "note" if k == "notes" else k
        for k, v in given.items()
        if k in previous and (v is None or v == "")
    ]
    return (
        f" (was {was or 'no value'}" + (f"; {', '.join(emptied)} emptied" if emptied else "") + ")"
    )


@sitting.command("show")
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@format_option()
@click.option(
    "--from", "first", callback=date_option, metavar="YYYY-MM-DD", help="First day to show."
)
@click.option("--to", "last", callback=date_option, metavar="YYYY-MM-DD", help="Last day to show.")
@config_option
@verbose_option
def show(
    sources: tuple[str, ...],
    fmt: str | None,
    first: dt.date | None,
    last: dt.date | None,
    config_path: str | None,
) -> None:
    """Show daily sitting merged from logs, Garmin and Fitbit exports, monitoring FIT
    files and Apple Health exports (export.zip or export.xml: idle stand hours, a proxy)
    (files, folders or zip archives such as Garmin's account export; other files in a
    folder or zip, such as activity FIT files, are skipped). When two give the same day:
    the log wins, then Garmin daily summaries, then monitoring files, then Fitbit, then
    Apple stand hours. A day no source covers is left out (unknown), never zero. Exit
    status: 0 shown; 1 a row was rejected (the rest is shown) or no day to show (an
    empty file, a zip or folder without sitting: a warning each, as --from/--to outside
    the days); 2 a usage mistake (no source and no log, a SOURCE that does not exist or
    cannot be read, a bad option, a broken runload.toml).

    Without SOURCE: the sitting report and check read, [sitting] log from runload.toml
    (the default sitting.csv when that file exists) and the sitting held in [paths]
    activities, merged.

    Monitoring files include sleep, so only their waking window counts (config
    sitting.waking_start/waking_end, default 07:00-23:00). Each state lasts until the
    next one or the end of its file: the file a watch writes at midnight closes the
    last state at the end of the day; a file that ends at a sync closes it at the sync
    (the hours after it are not guessed). A day less than half covered is left out.

    \b
    Example:
      runload sitting show sitting.csv ~/garmin-export --from 2026-03-01 --format json
    """
    if first and last and last < first:
        raise click.BadParameter("--to is before --from", param_hint="--to")

    from runload.render.sitting import render_sitting
    from runload.report import read_sitting_of
    from runload.sitting import days_between

    options = resolve((), sources, config_path=config_path, need_paths=False)
    result, _used, note = read_sitting_of(options)
    if result is None or not (options.sitting or options.paths):
        raise click.UsageError(
            f"give the sitting sources to show (or set [sitting] log in runload.toml; "
            f"{options.log} does not exist)"
        )
    if note:
        echo_err(f"note: {note}")
    days = days_between(result.days, first, last)
    fmt = (fmt or ("table" if stdout_is_terminal() else "csv")).lower()
    click.echo(render_sitting(days, fmt), nl=False)
    echo_problems(result.problems)
    if days.is_empty():  # nothing to show, whatever the reason: a data problem, as report's
        echo_err("no sitting days found")
    if result.has_errors or days.is_empty():
        finish(EXIT_PROBLEMS)


COMMANDS: list[click.Command] = [sitting]
