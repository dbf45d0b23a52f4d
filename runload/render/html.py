"""The HTML report: one self-contained page that works offline.

Owns the page layout (summary cards, the plotly figures on one shared date axis, the
table of elevated and high days, the method summary, the disclaimer) and its atomic
write. plotly.js is inlined (``include_plotlyjs=True``), MathJax is off and no web font
or other URL is loaded, so the page makes no network request at all. The figures only
draw what ``runload.report`` computed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runload import wording
from runload.fsutil import HTML_STARTS, atomic_write, foreign_file
from runload.metrics import ACWR_LOW
from runload.render.formats import (
    advice_legend,
    advice_title,
    athlete_text,
    day_view,
    is_estimated,
    period_text,
    reason_text,
)
from runload.risk import LEVELS

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from runload.report import Report

COLOURS = {
    "load": "#0072B2",
    "estimated": "#9ecae1",
    "long": "#000000",
    "sitting": "#7f7f7f",
    "acwr": "#0072B2",
    "ctl": "#009E73",
    "atl": "#D55E00",
    "tsb": "#CC79A7",
    "low": "#7f7f7f",
    "elevated": "#E69F00",
    "high": "#C0392B",
    "band": "rgba(0, 158, 115, 0.12)",
}
LEVEL_Y = {level: i for i, level in enumerate(LEVELS) if i}  # the raised levels: 1, 2
# A day's bar is 0.8 of a day wide (in ms, the date axis unit): plotly's own width comes from
# the gaps between bars, so a one-day report would draw a bar 1 ms wide, i.e. nothing.
BAR_WIDTH_MS = 0.8 * 86_400_000
# The published work behind the method, as docs/method.md lists it (each title is quoted
# from there; a test keeps them in step): the page carries it, so it stands alone once it
# is mailed (a link to docs/method.md would point nowhere outside the repository).
REFERENCES = (
    ("Banister EW, Calvert TW, Savage MV, Bach T.", "A systems model of training for athletic "
     "performance.", "Aust J Sports Med 1975 (TRIMP; fitness and fatigue)"),
    ("Foster C.", "Monitoring training in athletes with reference to overtraining syndrome.",
     "Med Sci Sports Exerc 1998 (monotony, strain)"),
    ("Hulin BT, Gabbett TJ, Lawson DW, Caputi P, Sampson JA.", "The acute:chronic workload "
     "ratio predicts injury.", "Br J Sports Med 2016"),
    ("Williams S, West S, Cross MJ, Stokes KA.", "Better way to determine the acute:chronic "
     "workload ratio?", "Br J Sports Med 2017 (EWMA)"),
    ("Impellizzeri FM, Tenan MS, Kempton T, Novak A, Coutts AJ.", "Acute:chronic workload "
     "ratio: conceptual issues and fundamental pitfalls.", "Int J Sports Physiol Perform 2020"),
    ("Frandsen JSB et al.", "How much running is too much? Identifying high-risk running "
     "sessions in a 5200-person cohort study.", "Br J Sports Med 2025 (long-run spikes)"),
    ("Ku P-W, Steptoe A, Liao Y, Hsueh M-C, Chen L-J.", "A cut-off of daily sedentary time and "
     "all-cause mortality in adults", "BMC Med 2018 (device-measured sitting)"),
    ("Dubois B, Esculier J-F.", "Soft-tissue injuries simply need PEACE and LOVE.",
     "Br J Sports Med 2020"),
    ("Allen H, Coggan A.", "Training and Racing with a Power Meter", "VeloPress 2010 (CTL, ATL, "
     "TSB)"),
)  # fmt: skip

CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --elev: #E69F00; --high: #C0392B; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--fg); margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
.nw { white-space: nowrap; }
h2 { font-size: 1.2rem; margin: 32px 0 8px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { flex: 1 1 150px; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .n { font-size: 1.8rem; font-weight: 600; }
.card .l { color: var(--muted); font-size: .9rem; }
.card.elevated .n { color: var(--elev); }
.card.high .n { color: var(--high); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
.level { font-weight: 600; text-transform: uppercase; font-size: .8rem; }
.level.elevated { color: var(--elev); }
.level.high { color: var(--high); }
ul.reasons { margin: 0; padding-left: 18px; }
.advice dt { font-weight: 600; margin-top: 8px; }
.advice dd { margin-left: 16px; }
.problems li.error { color: var(--high); }
.disclaimer { margin-top: 32px; padding: 12px 16px; background: #fff8e5;
              border: 1px solid #f0d48a; border-radius: 8px; }
.note { color: var(--muted); font-size: .9rem; }
@media (max-width: 700px) {
  body { padding: 12px; }
  h1 { font-size: 1.3rem; }
  .card { flex: 1 1 90px; padding: 8px 12px; }
  .card .n { font-size: 1.4rem; }
  table.days thead { display: none; }
  table.days, table.days tbody, table.days tr { display: block; width: 100%; }
  table.days tr { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 12px;
                  padding: 8px 12px; }
  table.days td { display: inline-block; border: 0; padding: 2px 12px 2px 0;
                  text-align: left; }
  table.days td:empty { display: none; }
  table.days td.date { font-weight: 600; }
  table.days td.num::before, table.days td.lr::before { content: attr(data-label) " ";
                  color: var(--muted); }
  table.days td.why, table.days td.do { display: block; padding-right: 0; }
  table.days td.do::before { content: "do: "; color: var(--muted); }
}
"""


# On a phone the figure keeps its panels but needs narrow margins, a few flat date ticks
# (rotated ones get cut) and a smaller legend; back to the built layout when wide again.
NARROW_LAYOUT = {
    "margin.l": 48,
    "margin.r": 40,
    "margin.t": 64,  # room for the toolbar above the first panel's title
    "xaxis4.nticks": 4,
    "xaxis4.tickangle": 0,
    "xaxis4.tickformat": "%b %-d",
    "legend.font.size": 11,
}
WIDE_LAYOUT = {
    "margin.l": 60,
    "margin.r": 60,
    "margin.t": 40,
    "xaxis4.nticks": 0,
    "xaxis4.tickangle": "auto",
    "xaxis4.tickformat": "",
    "legend.font.size": 12,
}
NARROW_PX = 600
FIT_SCRIPT = (
    """
(function () {
  var f = document.getElementById('{plot_id}');
  var narrow = false;
  function fit() {
    var now = f.clientWidth < NARROW_PX;
    if (now === narrow) { return; }
    narrow = now;
    Plotly.relayout(f, now ? NARROW : WIDE);
  }
  fit();
  window.addEventListener('resize', fit);
})();
""".replace("NARROW_PX", str(NARROW_PX))
    .replace("NARROW", json.dumps(NARROW_LAYOUT))
    .replace("WIDE", json.dumps(WIDE_LAYOUT))
)


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _nowrap_dates(text: str) -> str:
    """Keep each ISO date on one line (a narrow screen would break it at a hyphen)."""
    return re.sub(r"\d{4}-\d{2}-\d{2}", lambda m: f'<span class="nw">{m.group(0)}</span>', text)


def _short(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _hover_reasons(row: Mapping[str, Any]) -> str:
    reasons = row.get("reasons") or []
    lines = [_esc(reason_text(r)) for r in reasons] or ["nothing stands out"]
    return "<br>".join(lines)


def _line_mode(days: list[dict[str, Any]]) -> str:
    """A line of one point draws nothing: show the point."""
    return "lines" if len(days) > 1 else "lines+markers"


def _column(days: list[dict[str, Any]], name: str) -> list[Any]:
    return [d.get(name) for d in days]


def _load_traces(fig: go.Figure, days: list[dict[str, Any]], report: Report) -> None:
    import plotly.graph_objects as go

    dates = _column(days, "date")
    measured = [None if is_estimated(d.get("load_estimated")) else d.get("load") for d in days]
    estimated = [d.get("load") if is_estimated(d.get("load_estimated")) else None for d in days]
    durations = wording.each(wording.duration_expr, _column(days, "run_minutes"))
    hover = [
        f"{d['date']}: {d.get('runs') or 0} run(s), {minutes}"
        for d, minutes in zip(days, durations, strict=True)
    ]
    fig.add_trace(
        go.Bar(
            x=dates,
            y=measured,
            width=BAR_WIDTH_MS,
            name="daily load (TRIMP)",
            marker_color=COLOURS["load"],
            hovertext=hover,
            hovertemplate="%{hovertext}<br>load %{y:.0f}<extra></extra>",
            legendgroup="load",
        ),
        row=1,
        col=1,
        secondary_y=False,
    )
    if any(v is not None for v in estimated):
        fig.add_trace(
            go.Bar(
                x=dates,
                y=estimated,
                width=BAR_WIDTH_MS,
                name="load estimated (no HR)",
                marker={
                    "color": COLOURS["estimated"],
                    "pattern": {"shape": "/", "fgcolor": COLOURS["load"], "size": 6},
                },
                hovertext=hover,
                hovertemplate="%{hovertext}<br>load %{y:.0f} (estimated, no HR)<extra></extra>",
                legendgroup="load",
            ),
            row=1,
            col=1,
            secondary_y=False,
        )
    long_days = [d for d in days if d.get("long_run")]
    long_minutes = wording.each(wording.duration_expr, _column(long_days, "run_minutes"))
    spike = f" (longer than any in the {report.settings.load.spike_days} days before)"
    if long_days:
        fig.add_trace(
            go.Scatter(
                x=_column(long_days, "date"),
                y=[d.get("load") for d in long_days],
                mode="markers",
                name="long run",
                marker={
                    "symbol": "triangle-down",
                    "size": 10,
                    "color": COLOURS["long"],
                    "line": {"width": 0},
                },
                hovertext=[
                    f"{d['date']}: long run, {minutes}" + (spike * bool(d.get("long_run_spike")))
                    for d, minutes in zip(long_days, long_minutes, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                cliponaxis=False,
            ),
            row=1,
            col=1,
            secondary_y=False,
        )


def _sitting_traces(fig: go.Figure, days: list[dict[str, Any]], report: Report) -> None:
    import plotly.graph_objects as go

    fig.add_trace(
        go.Scatter(
            x=_column(days, "date"),
            y=_column(days, "sitting_hours"),
            mode="lines+markers",
            name="sitting hours",
            line={"color": COLOURS["sitting"], "width": 1.2, "dash": "dot"},
            marker={"size": 4},
            connectgaps=False,
            customdata=wording.each(wording.hours_expr, _column(days, "sitting_hours")),
            hovertemplate="%{x|%a %d %b}: sat %{customdata} h<extra></extra>",
        ),
        row=1,
        col=1,
        secondary_y=True,
    )
    s = report.settings
    dates = _column(days, "date")
    if dates:
        ends = [f"{dates[0]}T00:00", f"{dates[-1]}T23:59"]  # a visible line even for one day
        for hours, dash in ((s.risk.sitting_hours, "dash"), (s.risk.sitting_hours_high, "solid")):
            fig.add_trace(
                go.Scatter(
                    x=ends,
                    y=[hours, hours],
                    mode="lines",
                    name=f"{hours:g} h sitting",
                    line={"color": COLOURS["elevated"], "width": 1, "dash": dash},
                    hoverinfo="skip",
                ),
                row=1,
                col=1,
                secondary_y=True,
            )


def _acwr_traces(fig: go.Figure, days: list[dict[str, Any]], report: Report) -> None:
    import plotly.graph_objects as go

    s = report.settings
    fig.add_trace(
        go.Scatter(
            x=_column(days, "date"),
            y=_column(days, "acwr"),
            mode=_line_mode(days),
            name=f"acute:chronic ({s.load.acwr_method})",
            line={"color": COLOURS["acwr"], "width": 2},
            connectgaps=False,
            customdata=wording.each(wording.ratio_expr, _column(days, "acwr")),
            hovertemplate="%{x|%a %d %b}: ACWR %{customdata}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.add_hrect(
        y0=ACWR_LOW,
        y1=s.risk.acwr,
        fillcolor=COLOURS["band"],
        line_width=0,
        layer="below",
        annotation_text=f"{ACWR_LOW:g}–{s.risk.acwr:g}",
        annotation_position="left",
        annotation_font_size=10,
        row=2,
        col=1,
    )
    fig.add_hline(
        y=s.risk.acwr_high,
        line={"color": COLOURS["high"], "width": 1, "dash": "dash"},
        annotation_text=f"{s.risk.acwr_high:g}",
        annotation_position="top left",
        annotation_font_size=10,
        row=2,
        col=1,
    )


def _fitness_traces(fig: go.Figure, days: list[dict[str, Any]], report: Report) -> None:
    import plotly.graph_objects as go

    s = report.settings
    for name, label, dash in (
        ("ctl", f"fitness (CTL, {s.load.ctl_days:g} d)", "solid"),
        ("atl", f"fatigue (ATL, {s.load.atl_days:g} d)", "solid"),
        ("tsb", "form (TSB)", "dot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=_column(days, "date"),
                y=_column(days, name),
                mode=_line_mode(days),
                name=label,
                line={"color": COLOURS[name], "width": 1.8, "dash": dash},
                hovertemplate="%{x|%a %d %b}: " + name.upper() + " %{y:.1f}<extra></extra>",
            ),
            row=3,
            col=1,
        )


def _risk_traces(fig: go.Figure, days: list[dict[str, Any]]) -> None:
    import plotly.graph_objects as go

    for level in LEVEL_Y:
        flagged = [d for d in days if d.get("risk") == level]
        fig.add_trace(
            go.Scatter(
                x=_column(flagged, "date"),
                y=[LEVEL_Y[level]] * len(flagged),
                mode="markers",
                name=f"{level} day",
                marker={"symbol": "square", "size": 11, "color": COLOURS[level]},
                hovertext=[
                    f"<b>{d['date']} · {level}</b> ({d.get('score')} points)<br>"
                    + _hover_reasons(d)
                    for d in flagged
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            row=4,
            col=1,
        )
    # a light band across the load panel on each risk day, so the day stands out there too;
    # all at once: plotly's add_vrect re-validates every shape per call (a minute for 170)
    bands = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y domain",
            "x0": f"{d['date']}T00:00",
            "x1": f"{d['date']}T23:59",
            "y0": 0,
            "y1": 1,
            "fillcolor": COLOURS[str(d.get("risk"))],
            "opacity": 0.12,
            "line": {"width": 0},
            "layer": "below",
        }
        for d in days
        if d.get("risk") in LEVEL_Y
    ]
    fig.update_layout(shapes=[*fig.layout.shapes, *bands])


def build_figure(report: Report) -> go.Figure:
    """The four panels on one date axis: load + sitting, ACWR, CTL/ATL/TSB, risk days."""
    from plotly.subplots import make_subplots

    days = report.days.to_dicts()
    fig = make_subplots(
        rows=4,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.04,
        row_heights=[0.38, 0.22, 0.25, 0.15],
        specs=[[{"secondary_y": True}], [{}], [{}], [{}]],
        subplot_titles=(
            "Daily running load and sitting",
            "Acute:chronic workload ratio",
            "Fitness, fatigue and form",
            "Risk days (hover for the reasons)",
        ),
    )
    _load_traces(fig, days, report)
    _sitting_traces(fig, days, report)
    _acwr_traces(fig, days, report)
    _fitness_traces(fig, days, report)
    _risk_traces(fig, days)
    fig.update_yaxes(title_text="load", row=1, col=1, secondary_y=False, rangemode="tozero")
    fig.update_yaxes(
        title_text="sitting h",
        row=1,
        col=1,
        secondary_y=True,
        range=[0, 16],
        tickvals=[0, 4, 8, 12, 16],
        showgrid=False,
    )
    fig.update_yaxes(title_text="ACWR", row=2, col=1, rangemode="tozero")
    fig.update_yaxes(title_text="TRIMP / day", row=3, col=1)
    fig.update_yaxes(
        row=4,
        col=1,
        range=[0.4, 2.6],
        tickvals=list(LEVEL_Y.values()),
        ticktext=list(LEVEL_Y),
        fixedrange=True,
    )
    if report.period_from is not None and report.period_to is not None:
        pad = dt.timedelta(days=1)  # room for the first and last bars
        start = dt.datetime.combine(report.period_from, dt.time()) - pad
        end = dt.datetime.combine(report.period_to, dt.time()) + pad
        fig.update_xaxes(range=[start.isoformat(), end.isoformat()])
    # every panel on a date axis, also the risk panel of a period without a risk day (no
    # point of its own to tell plotly the axis holds dates: it drew -1 to 6)
    fig.update_xaxes(type="date", showspikes=True, spikemode="across", spikethickness=1)
    fig.update_layout(
        height=1100,
        barmode="stack",
        bargap=0.15,
        hovermode="closest",
        template="plotly_white",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"},
        # one flat row order (no stacked groups), below the plots: never under the toolbar
        legend={"orientation": "h", "yanchor": "top", "y": -0.04, "x": 0, "traceorder": "normal"},
        margin={"l": 60, "r": 60, "t": 40, "b": 40},
    )
    return fig


def _cards(report: Report) -> str:
    s = report.summary
    cards = [
        ("runs", s.runs, ""),
        ("km", wording.km(s.km, decimals=0), ""),
        ("long runs", s.long_runs, ""),
        ("elevated days", s.elevated_days, "elevated"),
        ("high days", s.high_days, "high"),
    ]
    return "".join(
        f'<div class="card {cls}"><div class="n">{_esc(n)}</div>'
        f'<div class="l">{_esc(label)}</div></div>'
        for label, n, cls in cards
    )


TABLE_HEAD: tuple[tuple[str, str], ...] = (
    # (header, cell class): on a phone each row becomes a card and the header its label
    ("date", "date"),
    ("runs", "num"),
    ("load", "num"),
    ("long run", "lr"),
    ("sitting h", "num"),
    ("ACWR", "num"),
    ("risk", "lvl"),
    ("why", "why"),
    ("do", "do"),
)


def _day_row(d: Mapping[str, Any]) -> str:
    cells = day_view(d)
    level = _esc(d.get("risk"))
    reasons = "".join(f"<li>{_esc(reason_text(r))}</li>" for r in d.get("reasons") or [])
    advice = "<br>".join(_esc(advice_title(a)) for a in d.get("advice") or [])
    shown = [
        *(_esc(c) for c in cells[:6]),
        f'<span class="level {level}">{level}</span>',
        f'<ul class="reasons">{reasons}</ul>',
        advice,
    ]
    return (
        "<tr>"
        + "".join(
            f'<td class="{cls}" data-label="{head}">{html_cell}</td>'
            for (head, cls), html_cell in zip(TABLE_HEAD, shown, strict=True)
        )
        + "</tr>"
    )


def _days_table(report: Report) -> str:
    flagged = report.flagged_days()
    if flagged.height == 0:
        return "<p>No elevated or high day in this period.</p>"
    rows = [_day_row(d) for d in flagged.iter_rows(named=True)]
    head = "".join(f"<th>{h}</th>" for h, _ in TABLE_HEAD)
    legend = "".join(
        f"<dt>{_esc(advice_title(a))}</dt><dd>{_esc(a.get('text'))}"
        + (
            "<ul>" + "".join(f"<li>{_esc(s)}</li>" for s in a.get("steps") or []) + "</ul>"
            if a.get("steps")
            else ""
        )
        + "</dd>"
        for a in advice_legend(flagged)
    )
    note = (
        '<p class="note">* load estimated: a run without heart rate.</p>'
        if any(day_view(d)[2].endswith("*") for d in flagged.iter_rows(named=True))
        else ""
    )
    return (
        f'<table class="days"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        f"</table>{note}"
        f'<h2>What to do</h2><dl class="advice">{legend}</dl>'
    )


def _method(report: Report) -> str:
    s = report.settings
    return (
        "<p>Each run's load is Banister's TRIMP: minutes weighted by heart-rate reserve "
        "(estimated from the time alone when a run has no heart rate). The acute:chronic "
        f"ratio compares the last {s.load.acute_days} days with the last {s.load.chronic_days} "
        f"({s.load.acwr_method}); "
        f"{ACWR_LOW:g}–{s.risk.acwr:g} is the usual range, {s.risk.acwr_high:g} or more a jump. "
        f"Fitness (CTL) and fatigue (ATL) are {s.load.ctl_days:g}- and {s.load.atl_days:g}-day "
        "exponential averages; form (TSB) is their difference going into the day. A long run "
        f"is {s.load.long_run_minutes:g} minutes or more (or an hour that is a big share of the "
        f"week). A day earns points for long sitting ({s.risk.sitting_hours:g} h, "
        f"{s.risk.sitting_hours_high:g} h; +{s.sitting.device_offset_hours:g} h for "
        "device-measured days), "
        f"a long run, a run longer than any in the {s.load.spike_days} days before, a load jump "
        f"(counted when the weeks before hold {s.risk.acwr_min_run_days} days with a run), "
        "monotony and numbness; sitting alone never raises a day above low, and a high day needs "
        f"{s.risk.high_factors} reasons from the running or the body. The load metrics are "
        "published methods; the sitting rules are a heuristic (no study yet combines sitting "
        "hours with running load). Every formula and default is in the method document of "
        "runload's source (docs/method.md); the studies behind them:</p>"
        + _references()
        + _facts(report)
    )


def _references() -> str:
    items = "".join(
        f"<li>{_esc(who)} <i>{_esc(title)}</i> {_esc(where)}.</li>"
        for who, title, where in REFERENCES
    )
    return f'<ul class="refs note">{items}</ul>'


def _facts(report: Report) -> str:
    """Where the athlete's values came from, and the method's notes on this data."""
    items = [f"Athlete: {_esc(athlete_text(report.athlete))}"] if report.athlete else []
    items += [_esc(n) for n in report.notes]
    if not items:
        return ""
    return '<ul class="note">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _problems(report: Report) -> str:
    from runload.errors import shown_problems

    problems = shown_problems(report.problems)  # (no --verbose here: the notes stay out)
    if not problems:
        return ""
    items = "".join(f'<li class="{p.severity}">{_esc(p)}</li>' for p in problems)
    return f'<h2>Problems with the input</h2><ul class="problems">{items}</ul>'


def render_html(report: Report) -> str:
    """The whole page as one string (plotly.js inlined: about 4.5 MB)."""
    import plotly.io as pio

    from runload.report import DISCLAIMER

    period = period_text(report)
    title = f"runload report: {period}"
    if report.empty:
        figure = "<p>No day to show in this period.</p>"
    else:
        figure = pio.to_html(
            build_figure(report),
            include_plotlyjs=True,
            include_mathjax=False,
            full_html=False,
            config={"displaylogo": False, "responsive": True},
            div_id="runload-figure",
            post_script=FIT_SCRIPT,
        )
    athlete = " · ".join(
        f'<span title="{_esc(a.get("source"))}">{_esc(a["name"])} {_esc(_short(a["value"]))}</span>'
        for a in report.athlete
        if a.get("value") is not None
    )
    return f"""{page_head(title)}
<body>
<h1>Running load and sitting, {_nowrap_dates(_esc(period))}</h1>
<p class="sub">{athlete}</p>
<div class="cards">{_cards(report)}</div>
{figure}
<h2>Elevated and high days</h2>
{_days_table(report)}
<h2>How runload decides</h2>
{_method(report)}
{_problems(report)}
<p class="disclaimer">{_esc(DISCLAIMER)}</p>
<p class="note">Made by runload {_esc(report.version)}.</p>
</body>
</html>
"""


def page_head(title: str, css: str = "", script: str = "") -> str:
    """The start of a runload page up to ``</head>``: ``CSS`` plus ``css``, and ``script``
    (inlined JavaScript) when given."""
    js = f'<script type="text/javascript">{script}</script>\n' if script else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{CSS}{css}</style>
{js}</head>"""


def write_html(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the page atomically (``runload.fsutil.atomic_write``)."""
    return write_page(path, lambda: render_html(report))


def write_page(path: str | os.PathLike[str], render: Callable[[], str]) -> Path:
    """Write the page ``render()`` makes to ``path`` atomically; never over a file that is
    not an HTML page (``InputError``), and an OS error is an ``InputError`` naming the path."""
    from runload.errors import InputError

    target = Path(path)
    if foreign_file(target, starts=HTML_STARTS):
        raise InputError("exists and is not an HTML page: not replacing it", path=target)
    text = render()
    try:
        atomic_write(target, text)  # a missing folder is made, as ``init`` does
    except OSError as exc:
        raise InputError(
            f"cannot write the HTML report: {exc.strerror or exc}", path=target
        ) from None
    return target
