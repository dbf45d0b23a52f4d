"""The squad (``runload team``) as text and as one HTML page: the terminal table, JSON, CSV,
Markdown, and the page with a table of athletes and one small load/sitting chart each
(plotly.js inlined once in the page's head, not once per chart). Formats only: every number
comes from ``runload.team`` and is worded by ``runload.wording``."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runload import __version__, wording
from runload.errors import shown_problems
from runload.render.formats import advice_title, markdown_items, reason_text
from runload.render.safe import terminal_cell
from runload.render.tables import csv_text, dumps, json_rows, markdown_table
from runload.schema import ATHLETE_KEY, DAY_COLUMNS

if TYPE_CHECKING:
    import plotly.graph_objects as go
    import polars as pl
    from rich.console import Console

    from runload.team import Team

TEAM_HEADER = (
    "athlete",
    "date",
    "risk",
    "score",
    "why",
    "what to do",
    "last run",
    "ACWR",
    "sitting h",
)
TOP_REASONS = 2  # reasons shown per athlete in the table (JSON keeps them all)
CHART_DAYS = 56  # the days each athlete's small chart shows, ending on the day asked
LEVEL_COLOUR = {"low": "#2e7d32", "elevated": "#ef6c00", "high": "#c62828"}


def top_reasons(row: Mapping[str, Any], n: int = TOP_REASONS) -> list[str]:
    """The ``n`` reasons with the most points (ties: the method's order)."""
    reasons = sorted(row.get("reasons") or [], key=lambda r: -(r.get("points") or 0))
    return [reason_text(r) for r in reasons[:n]]


def last_run_text(row: Mapping[str, Any]) -> str:
    last, ago = row.get("last_run"), row.get("days_since_run")
    if last is None:
        return ""
    if ago == 0:
        return f"{last} (that day)"
    return f"{last} ({ago} day{'' if ago == 1 else 's'} before)"


def team_view(row: Mapping[str, Any]) -> list[str]:
    """One athlete's day as the cells of ``TEAM_HEADER``."""
    return [
        str(row[ATHLETE_KEY]),
        str(row["date"]),
        str(row.get("risk") or ""),
        str(row.get("score") or 0),
        "; ".join(top_reasons(row)),
        "; ".join(advice_title(a) for a in row.get("advice") or []),
        last_run_text(row),
        wording.ratio(row.get("acwr")),
        wording.hours(row.get("sitting_hours")),
    ]


def _failed_lines(result: Team) -> list[str]:
    return [str(p) for p in result.failed]


# --- machine formats ---------------------------------------------------------------------------


def team_dict(result: Team) -> dict[str, Any]:
    """``{"runload_version", "display_units", "date", "athletes", "left_out", "problems",
    "duplicates"}`` (``display_units``: what the reasons' details use; ``duplicates``: the
    copies merged in the athletes' files, as ``report`` lists them); each athlete:
    ``athlete``, the day's fields exactly as ``runload report --format json`` names them
    (``DAY_COLUMNS``), ``last_run``, ``days_since_run``, ``values`` (what the method used:
    hr_max, hr_rest, sex... with their sources) and ``notes``."""
    from runload.copies import duplicates_frame
    from runload.team import TEAM_EXTRA_COLUMNS

    rows = json_rows(result.days, [ATHLETE_KEY, *DAY_COLUMNS, *TEAM_EXTRA_COLUMNS])
    for row in rows:
        name = row[ATHLETE_KEY]
        row["values"] = json_rows_of(result.athletes.get(name, []))
        row["notes"] = list(result.notes.get(name, []))
    return {
        "runload_version": __version__,
        "display_units": result.settings.display.units,
        "date": result.date.isoformat() if result.date else None,
        "athletes": rows,
        "left_out": [p.to_dict() for p in result.failed],
        "problems": [p.to_dict() for p in result.problems],
        "duplicates": json_rows(duplicates_frame(result.duplicates)),
    }


def json_rows_of(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from runload.render.tables import json_value

    return [{k: json_value(v) for k, v in a.items()} for a in values]


def team_json(result: Team) -> str:
    return dumps(team_dict(result)) + "\n"


def team_csv(result: Team) -> str:
    """One row per athlete: ``athlete``, ``DAY_COLUMNS``, ``last_run``, ``days_since_run``."""
    from runload.team import TEAM_EXTRA_COLUMNS

    columns = [ATHLETE_KEY, *DAY_COLUMNS, *TEAM_EXTRA_COLUMNS]
    if result.days.height == 0:
        return ",".join(columns) + "\n"
    return csv_text(result.days, columns)


def team_markdown(result: Team) -> str:
    from runload.report import DISCLAIMER

    out = ["# runload team", ""]
    if result.days.height:
        rows = [team_view(r) for r in result.days.iter_rows(named=True)]
        out += [markdown_table(TEAM_HEADER, rows)]
    else:
        out += ["No athlete to report.", ""]
    out += markdown_items("Left out", result.failed)
    out += markdown_items("Problems", shown_problems(result.problems))
    out += markdown_items("Merged copies, each counted once", result.duplicates)
    out.append(f"_{DISCLAIMER}_")
    return "\n".join(out) + "\n"


# --- terminal ----------------------------------------------------------------------------------


def print_team(
    result: Team, console: Console, err: Console | None = None, *, verbose: bool = False
) -> None:
    """One block per athlete, high first: the numbers on one line, then why and what to do;
    the athletes left out and the problems after (every one with ``verbose``), on ``err``
    when given."""
    from rich.table import Table
    from rich.text import Text

    from runload.render.terminal import LEVEL_STYLE, print_merged, print_problems
    from runload.report import DISCLAIMER

    views = [team_view(r) for r in result.days.iter_rows(named=True)]
    if not views:
        console.print("No athlete to report.")
    else:
        table = Table(header_style="bold", show_lines=False, box=None, padding=(0, 2, 0, 0))
        for name in ("athlete", "risk", "score", "last run", "ACWR", "sitting h"):
            numeric = name in ("score", "ACWR", "sitting h")
            table.add_column(name, justify="right" if numeric else "left")
        for cells in views:
            style = LEVEL_STYLE.get(cells[2], "")
            table.add_row(
                terminal_cell(cells[0]),  # (a folder name: escaped, never markup)
                Text(cells[2], style=style),
                cells[3],
                cells[6],
                cells[7],
                cells[8],
            )
        dates = {v[1] for v in views}
        title = f"Team on {dates.pop()}" if len(dates) == 1 else "Team, each on their own today"
        console.print(Text(title, style="bold"))
        console.print(table)
        console.print()
        for cells, row in zip(views, result.days.iter_rows(named=True), strict=True):
            reasons = top_reasons(row, n=len(row.get("reasons") or []))
            advice = [advice_title(a) for a in row.get("advice") or []]
            if not reasons and not advice:
                continue
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column()
            label = terminal_cell(cells[0])
            for i, reason in enumerate(reasons):
                grid.add_row(label if i == 0 else "", "why" if i == 0 else "", reason)
            if advice:
                grid.add_row(label if not reasons else "", "do", " · ".join(advice))
            console.print(grid)
    console.print()
    target = err or console
    if result.failed:
        target.print(Text(f"Left out ({len(result.failed)}):", style="bold"))
        for line in _failed_lines(result):
            target.print(terminal_cell(f"  {line}", style="red"), soft_wrap=True)
    print_problems(result.problems, target, verbose=verbose)
    print_merged(result.duplicates, target, verbose=verbose)
    if result.failed or shown_problems(result.problems, verbose=verbose) or result.duplicates:
        target.print()
    console.print(Text(DISCLAIMER, style="italic dim"))


# --- HTML --------------------------------------------------------------------------------------


def _chart_days(result: Team, name: str, day: Any) -> pl.DataFrame:
    import datetime as dt

    import polars as pl

    first = day - dt.timedelta(days=CHART_DAYS - 1)
    return result.season.filter(
        (pl.col(ATHLETE_KEY) == name) & (pl.col("date") >= first) & (pl.col("date") <= day)
    )


def athlete_figure(days: pl.DataFrame, result: Team) -> go.Figure:
    """One athlete's last ``CHART_DAYS``: daily load bars coloured by level, sitting hours
    as a line on the right axis (0–16 h, ticks every 4 h, as the season page) with the
    sitting threshold dotted; an athlete without sitting data gets neither the axis nor the
    line, and says so."""
    import plotly.graph_objects as go

    rows = days.to_dicts()
    dates = [r["date"] for r in rows]
    sat = [r["sitting_hours"] for r in rows if r["sitting_hours"] is not None]
    fig = go.Figure()
    fig.add_bar(
        x=dates,
        y=[r["load"] for r in rows],
        marker_color=[LEVEL_COLOUR.get(r["risk"], "#999") for r in rows],
        name="load",
        customdata=[[r["risk"], wording.hours(r["sitting_hours"])] for r in rows],
        hovertemplate="%{x}<br>load %{y:.0f}<br>%{customdata[0]}<extra></extra>",
    )
    fig.update_layout(
        height=180,
        margin={"l": 40, "r": 40, "t": 10, "b": 30},
        showlegend=False,
        template="plotly_white",
        bargap=0.2,
        xaxis={"type": "date"},
        yaxis={"title": {"text": "load"}, "rangemode": "tozero"},
    )
    if not sat:
        fig.add_annotation(
            text="no sitting data",
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            xanchor="right",
            yanchor="top",
            showarrow=False,
            font={"size": 11, "color": "#59636e"},
        )
        return fig
    fig.add_scatter(
        x=dates,
        y=[r["sitting_hours"] for r in rows],
        yaxis="y2",
        mode="lines+markers",
        line={"color": "#5c6bc0", "width": 1.5},
        marker={"size": 4},
        name="sitting h",
        connectgaps=False,
        hovertemplate="%{x}<br>sat %{y:.1f} h<extra></extra>",
    )
    fig.add_hline(
        y=result.settings.risk.sitting_hours,
        yref="y2",
        line={"dash": "dot", "color": "#5c6bc0", "width": 1},
    )
    top = max(16, 4 * math.ceil(max(sat) / 4))  # whole hours, every 4 h (24 h at most)
    fig.update_layout(
        yaxis2={
            "title": {"text": "sitting h"},
            "overlaying": "y",
            "side": "right",
            "range": [0, top],
            "tickvals": list(range(0, top + 1, 4)),
            "showgrid": False,
        },
    )
    return fig


def render_team_html(result: Team) -> str:
    """The whole page: the athletes' table, then one small chart per athlete."""
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    from runload.render.page import esc, page_head
    from runload.report import DISCLAIMER

    rows = list(result.days.iter_rows(named=True))
    head = "".join(f"<th>{esc(h)}</th>" for h in TEAM_HEADER)
    body = []
    charts = []
    for i, row in enumerate(rows):
        cells = team_view(row)
        level = cells[2]
        tds = "".join(
            f'<td class="{"risk " + level if j == 2 else ""}">{esc(c)}</td>'
            for j, c in enumerate(cells)
        )
        body.append(f'<tr class="athlete" data-athlete="{esc(cells[0])}">{tds}</tr>')
        fig = athlete_figure(_chart_days(result, cells[0], row["date"]), result)
        div = pio.to_html(
            fig,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            config={"displaylogo": False, "responsive": True, "displayModeBar": False},
            div_id=f"athlete-{i}",
        )
        charts.append(
            f'<section class="athlete-chart"><h3>{esc(cells[0])} '
            f'<span class="risk {level}">{esc(level)}</span></h3>{div}</section>'
        )
    left_out = "".join(f"<li>{esc(line)}</li>" for line in _failed_lines(result))
    problems = "".join(f"<li>{esc(p)}</li>" for p in shown_problems(result.problems))
    dates = {str(r["date"]) for r in rows}
    title = f"runload team on {dates.pop()}" if len(dates) == 1 else "runload team"
    css = f"""
table.team td.risk.high {{ color: {LEVEL_COLOUR["high"]}; font-weight: 700; }}
table.team td.risk.elevated {{ color: {LEVEL_COLOUR["elevated"]}; font-weight: 700; }}
table.team td.risk.low {{ color: {LEVEL_COLOUR["low"]}; }}
span.risk {{ font-size: 0.8em; text-transform: uppercase; }}
span.risk.high {{ color: {LEVEL_COLOUR["high"]}; }}
span.risk.elevated {{ color: {LEVEL_COLOUR["elevated"]}; }}
span.risk.low {{ color: {LEVEL_COLOUR["low"]}; }}
"""
    return f"""{page_head(title, css, get_plotlyjs())}
<body>
<h1>{esc(title)}</h1>
<table class="team"><thead><tr>{head}</tr></thead>
<tbody>{"".join(body) or '<tr><td colspan="9">No athlete to report.</td></tr>'}</tbody></table>
{"<h2>Left out</h2><ul class='left-out'>" + left_out + "</ul>" if left_out else ""}
<h2>Load and sitting, the last {CHART_DAYS} days</h2>
{"".join(charts)}
{"<h2>Problems</h2><ul class='problems'>" + problems + "</ul>" if problems else ""}
<p class="disclaimer">{esc(DISCLAIMER)}</p>
<p class="note">Made by runload {esc(__version__)}.</p>
</body>
</html>
"""


def write_team_html(result: Team, path: str | os.PathLike[str]) -> Path:
    """Write the page atomically, as the season report's page is written."""
    from runload.render.page import write_page

    return write_page(path, lambda: render_team_html(result))
