"""The report and the check on a terminal (rich): the header, the table of the days that
matter with coloured levels, what to do, then the problems, the merged copies and the
disclaimer — problems always after the table, never in the middle of it. Text from the
user's files (names, notes) goes through ``runload.render.safe.terminal_cell``: escaped,
never read as markup. Formats only; never computes."""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Any

from runload.render.formats import (
    ESTIMATED_MARK,
    ESTIMATED_NOTE,
    VIEW_HEADER,
    advice_legend,
    advice_title,
    check_lines,
    day_view,
    earlier_text,
    header_lines,
    reason_text,
    recent_cut,
    recent_title,
    view_days,
)
from runload.render.safe import terminal_cell, terminal_text

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

    from runload.copies import Duplicate
    from runload.errors import Problem
    from runload.report import Check, Report

# a number and its unit ("9.5 mi", "10.6 h") are never wrapped apart
_UNIT_SPACE = re.compile(r"(\d) (km|mi|h|min)\b")
LEVEL_STYLE = {"low": "green", "elevated": "bold dark_orange", "high": "bold red"}
NUMERIC = {"runs", "load", "sitting h", "ACWR"}


def _header(report: Report, console: Console) -> None:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, text in header_lines(report):
        if label == "Athlete":
            continue
        grid.add_row(label, terminal_cell(text))
    for i, a in enumerate(v for v in report.athlete if v.get("value") is not None):
        value = a["value"]
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        where = terminal_cell(f"{a['name']} {shown} ({a.get('source')})")
        grid.add_row("Athlete" if i == 0 else "", where)
    console.print(grid)


def _print_days(days: pl.DataFrame, console: Console, *, title: str) -> None:
    """One block per day: the numbers on one aligned line, then why and what to do, indented
    (reads well at 80 columns, where a nine-column table cannot)."""
    from rich.table import Table
    from rich.text import Text

    views = [day_view(r) for r in days.iter_rows(named=True)]
    shown = VIEW_HEADER[:7]
    widths = [max(len(h), *(len(v[i]) for v in views)) for i, h in enumerate(shown)]

    def line(cells: list[str], level_style: str = "") -> Text:
        text = Text()
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            padded = cell.rjust(width) if shown[i] in NUMERIC else cell.ljust(width)
            text.append(padded, style=level_style if i == 6 else "")
            text.append("  ")
        text.rstrip()
        return text

    console.print(Text(title, style="bold"))
    console.print(line(list(shown)), style="bold")
    for row, cells in zip(days.iter_rows(named=True), views, strict=True):
        level = str(row.get("risk") or "")
        console.print(line(cells[:7], LEVEL_STYLE.get(level, "")))
        reasons = [reason_text(r) for r in row.get("reasons") or []]
        advice = [advice_title(a) for a in row.get("advice") or []]
        if not reasons and not advice:
            continue
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=2)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for i, reason in enumerate(reasons):
            grid.add_row("", "why" if i == 0 else "", reason)
        if advice:
            grid.add_row("", "do", " · ".join(advice))
        console.print(grid)


def _print_legend(days: pl.DataFrame, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    legend = advice_legend(days)
    if not legend:
        return
    console.print()
    console.print(Text("What to do", style="bold"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2)
    grid.add_column()
    for a in legend:
        grid.add_row("", Text.assemble((f"{advice_title(a)}: ", "bold"), a.get("text") or ""))
        for step in a.get("steps") or []:
            grid.add_row("", f"  - {step}")
    console.print(grid)


def print_problems(problems: list[Problem], console: Console, *, verbose: bool = False) -> None:
    """The problems, one line each (errors red, warnings yellow, notes dim and only with
    ``verbose``); past a few of a code, the
    count of each code and its first few, each line within the console's width, unless
    ``verbose`` (``summary.summary_lines``)."""
    from runload.errors import shown_problems

    shown = shown_problems(problems, verbose=verbose)
    _print_items(shown, console, "Problems", "problems", verbose=verbose)


def print_merged(duplicates: list[Duplicate], console: Console, *, verbose: bool = False) -> None:
    """The copies read twice and counted once (not problems), summarised as problems are."""
    _print_items(duplicates, console, "Merged copies, each counted once", "copies merged",
                 verbose=verbose)  # fmt: skip


def _print_items(
    items: list[Any], console: Console, title: str, noun: str, *, verbose: bool
) -> None:
    from rich.text import Text

    from runload.render.summary import summary_lines, terminal_width

    if not items:
        return
    console.print(Text(f"{title} ({len(items):,}):", style="bold"))
    width = None if verbose else terminal_width(console.file)
    width = None if width is None else width - 2  # (the indent)
    for line in summary_lines(items, verbose=verbose, noun=noun, width=width):
        style = {"error": "red", "summary": "bold", "info": "dim"}.get(
            line.severity or "", "yellow"
        )
        if line.severity is None:
            style = "dim"  # a merged copy: no problem
        # one line each (cut to the width unless verbose; summary_lines has escaped it)
        console.print(Text(f"  {line.text}", style=style), soft_wrap=True)


def _print_view(report: Report, console: Console, *, all_days: bool) -> None:
    """The days listed (every day with ``all_days``; else the flagged ones, of the recent
    weeks only when the whole of a long history was read: ``recent_cut``), then what to do."""
    import polars as pl
    from rich.text import Text

    days = view_days(report, all_days=all_days)
    title = "Every day" if all_days else "Elevated and high days"
    earlier = days.clear()
    if (cut := recent_cut(report, all_days=all_days)) is not None:
        earlier = days.filter(pl.col("date") < cut)
        days = days.filter(pl.col("date") >= cut)
        title = recent_title(cut)
    if days.height == 0:
        recent = f" since {cut}" if cut is not None else " in this period"
        console.print(f"No elevated or high day{recent}: nothing to act on.")
    else:
        _print_days(days, console, title=title)
        if any(day_view(r)[2].endswith(ESTIMATED_MARK) for r in days.iter_rows(named=True)):
            console.print(Text(ESTIMATED_NOTE, style="dim"))
    if earlier.height:
        console.print(terminal_cell(earlier_text(report, earlier), style="dim"))
    _print_legend(days, console)


def print_report(
    report: Report,
    console: Console,
    err: Console | None = None,
    *,
    all_days: bool = False,
    verbose: bool = False,
) -> None:
    """Header, the days that matter (every day with ``all_days``), what to do, problems (on
    ``err`` when given; every one with ``verbose``), and the one-line disclaimer."""
    from rich.text import Text

    from runload.report import DISCLAIMER

    _header(report, console)
    console.print()
    if report.empty:
        console.print("No day to show in this period.")
    else:
        _print_view(report, console, all_days=all_days)
    for note in report.notes:
        console.print(terminal_cell(f"Note: {note}", style="dim"))
    console.print()
    print_problems(report.problems, err or console, verbose=verbose)
    print_merged(report.duplicates, err or console, verbose=verbose)
    console.print(Text(DISCLAIMER, style="italic dim"))


def print_check(
    check: Check, console: Console, err: Console | None = None, *, verbose: bool = False
) -> None:
    """The risk, the reasons and the concrete steps, in a few lines; then the problems
    (every one with ``verbose``)."""
    from rich.text import Text

    from runload.report import NOT_ADVICE

    lines = check_lines(check)
    style = LEVEL_STYLE.get(check.risk, "")
    console.print(terminal_cell(lines[0], style=style))
    print_lines(lines[1:], console)
    print_problems(check.problems, err or console, verbose=verbose)
    print_merged(check.duplicates, err or console, verbose=verbose)
    console.print(Text(f"{NOT_ADVICE}.", style="italic dim"))


def print_lines(lines: list[str], console: Console) -> None:
    """Plain lines within the console's width: a long one wraps under its own indent (two
    spaces in), never back at the margin nor inside a word, and a number stays with its
    unit. Each line is escaped first, so a ``\\n`` in it is no line break."""
    width = max(40, console.width - 1)
    for line in map(terminal_text, lines):
        indent = " " * (len(line) - len(line.lstrip(" ")))
        kept = _UNIT_SPACE.sub("\\1\u00a0\\2", line)
        for part in textwrap.wrap(kept, width, subsequent_indent=indent + "  "):
            console.print(terminal_cell(part.replace("\u00a0", " ")), soft_wrap=True)
