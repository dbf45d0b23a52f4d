"""The season report's figure: four plotly panels on one date axis (the day's load and
sitting, the acute:chronic ratio, fitness/fatigue/form, the risk days with a row of the
body's marks), the controls that keep a long history readable, and the script that fits the
figure to a phone.

A long history opens on its recent months: the ``RECENT_WEEKS`` (26) ending on the period's
last day (the last day with data, never today's date, so a page does not drift with the
calendar: ``Report.recent_from``), with a range selector (1 m, 3 m, 6 m, 1 y, all) above the
panels and a range slider under them, shared by every panel. A period no longer than that
opens on all of it. Distances are worded in the display units (``[display] units``). Draws
only what ``runload.report`` computed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from runload import wording
from runload.body import NO_PAIN, TEST_NAMES, TESTS, finding_words, site_words
from runload.metrics import ACWR_LOW
from runload.render.formats import is_estimated, reason_text
from runload.render.page import esc
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
    "body": "#6A3D9A",
    "band": "rgba(0, 158, 115, 0.12)",
}
LEVEL_Y = {level: i for i, level in enumerate(LEVELS) if i}  # the raised levels: 1, 2
BODY_Y = len(LEVELS)  # the row of the body's marks, above the levels (only when there are any)
BODY_LABEL = "body"
# A day's bar is 0.8 of a day wide (in ms, the date axis unit): plotly's own width comes from
# the gaps between bars, so a one-day report would draw a bar 1 ms wide, i.e. nothing.
BAR_WIDTH_MS = 0.8 * 86_400_000
# The range selector's buttons: (label, months back; None: the whole period).
RANGE_BUTTONS: tuple[tuple[str, int | None], ...] = (
    ("1 m", 1),
    ("3 m", 3),
    ("6 m", 6),
    ("1 y", 12),
    ("all", None),
)
SLIDER_THICKNESS = 0.05  # of the plot area's height
# one flat row order (no stacked groups), its top under the range slider (plot area = 0–1)
LEGEND = {"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0, "traceorder": "normal"}
SELECTOR_Y = 1.045  # the range buttons' foot, above the first panel's title (plot area = 0–1)

# On a phone the figure keeps its panels but needs narrow margins, a few flat date ticks
# (rotated ones get cut) and a smaller legend; back to the built layout when wide again.
NARROW_LAYOUT = {
    "margin.l": 48,
    "margin.r": 40,
    "margin.t": 96,  # room for the range buttons, then the toolbar, above the first title
    "xaxis4.nticks": 4,
    "xaxis4.tickangle": 0,
    "xaxis4.tickformat": "%b %-d",
    "legend.font.size": 11,
}
WIDE_LAYOUT = {
    "margin.l": 60,
    "margin.r": 60,
    "margin.t": 72,
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


def _hover_reasons(row: Mapping[str, Any]) -> str:
    reasons = row.get("reasons") or []
    lines = [esc(reason_text(r)) for r in reasons] or ["nothing stands out"]
    return "<br>".join(lines)


def _line_mode(days: list[dict[str, Any]]) -> str:
    """A line of one point draws nothing: show the point."""
    return "lines" if len(days) > 1 else "lines+markers"


def _column(days: list[dict[str, Any]], name: str) -> list[Any]:
    return [d.get(name) for d in days]


def _day_distances(report: Report) -> dict[dt.date, str]:
    """Each run day's distance as the hover words it, in the display units: ``14.0 km``;
    ``8.0 km in 1 of 2 runs`` when a run has no distance (the sum is not the day's); none
    for a day whose runs have no distance."""
    import polars as pl

    units = report.settings.display.units
    acts = report.activities
    if acts.height == 0 or "distance_km" not in acts.columns:
        return {}
    has = pl.col("distance_km").fill_null(0) > 0
    per = (
        acts.filter(pl.col("is_run").fill_null(False))
        .group_by("date")
        .agg(
            pl.len().alias("runs"),
            has.sum().alias("known"),
            pl.col("distance_km").filter(has).sum().alias("km"),
        )
        .filter(pl.col("known") > 0)
    )
    texts = wording.each(wording.distance_expr, per.get_column("km").to_list(), units=units)
    unit = wording.distance_unit(units)
    return {
        day: f"{text} {unit}" + ("" if known == runs else f" in {known} of {runs} runs")
        for (day, runs, known), text in zip(
            per.select("date", "runs", "known").iter_rows(), texts, strict=True
        )
    }


def _load_traces(fig: go.Figure, days: list[dict[str, Any]], report: Report) -> None:
    import plotly.graph_objects as go

    dates = _column(days, "date")
    measured = [None if is_estimated(d.get("load_estimated")) else d.get("load") for d in days]
    estimated = [d.get("load") if is_estimated(d.get("load_estimated")) else None for d in days]
    durations = wording.each(wording.duration_expr, _column(days, "run_minutes"))
    distances = _day_distances(report)
    hover = [
        f"{d['date']}: {d.get('runs') or 0} run(s), "
        + (f"{distances[d['date']]}, " if d["date"] in distances else "")
        + minutes
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
    _long_run_marks(fig, days, report)


def _long_run_marks(fig: go.Figure, days: list[dict[str, Any]], report: Report) -> None:
    import plotly.graph_objects as go

    long_days = [d for d in days if d.get("long_run")]
    if not long_days:
        return
    long_minutes = wording.each(wording.duration_expr, _column(long_days, "run_minutes"))
    spike = f" (longer than any in the {report.settings.load.spike_days} days before)"
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


def body_findings(day: Mapping[str, Any]) -> list[str]:
    """What the body said on ``day``, one line each: a positive self-test with its side and
    what it found, the pain sites, numbness; empty on a day without any."""
    lines = []
    for test in TESTS:
        side = day.get(test)
        if side and side != "none":
            lines.append(f"{TEST_NAMES[test]} positive, {side}: {finding_words(test, side)}")
    pain = day.get("pain")
    if pain and pain != NO_PAIN:
        lines.append(f"pain at {site_words(pain)}")
    numbness = day.get("numbness")
    if numbness:
        lines.append(f"numbness {numbness}/10")
    return lines


def _body_marks(fig: go.Figure, days: list[dict[str, Any]]) -> bool:
    """A mark on the risk panel's top row on each day a self-check found something (a
    positive test, pain) or numbness was logged, the findings in its hover; none, and no
    row, when no day did. Whether it drew any."""
    import plotly.graph_objects as go

    marked = [(d, found) for d in days if (found := body_findings(d))]
    if not marked:
        return False
    fig.add_trace(
        go.Scatter(
            x=[d["date"] for d, _ in marked],
            y=[BODY_Y] * len(marked),
            mode="markers",
            name="self-check finding or numbness",
            marker={"symbol": "diamond", "size": 11, "color": COLOURS["body"]},
            hovertext=[
                f"<b>{d['date']} · {BODY_LABEL}</b><br>" + "<br>".join(esc(f) for f in found)
                for d, found in marked
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        ),
        row=4,
        col=1,
    )
    return True


def opening_range(report: Report, *, whole: bool = False) -> tuple[str, str] | None:
    """The x range the page opens on: the recent weeks (``Report.recent_from``) or the whole
    period (also with ``whole``: the slider's), a day of room each side for the first and
    last bars; None without a period."""
    if report.period_from is None or report.period_to is None:
        return None
    pad = dt.timedelta(days=1)
    first = report.period_from if whole else report.recent_from or report.period_from
    start = dt.datetime.combine(first, dt.time()) - pad
    end = dt.datetime.combine(report.period_to, dt.time()) + pad
    return start.isoformat(), end.isoformat()


def _range_controls(fig: go.Figure, report: Report) -> None:
    """The range selector above the panels and the slider under them, on the shared axis;
    the slider spans the period (not plotly's padding around the markers)."""
    buttons = [
        {"count": months, "label": label, "step": "month", "stepmode": "backward"}
        if months is not None
        else {"label": label, "step": "all"}
        for label, months in RANGE_BUTTONS
    ]
    fig.update_xaxes(
        rangeselector={
            "buttons": buttons,
            "x": 0,
            "xanchor": "left",
            "y": SELECTOR_Y,
            "yanchor": "bottom",
            "font": {"size": 11},
        },
        row=1,
        col=1,
    )
    slider: dict[str, Any] = {"visible": True, "thickness": SLIDER_THICKNESS}
    if whole := opening_range(report, whole=True):
        slider |= {"range": list(whole), "autorange": False}
    fig.update_xaxes(rangeslider=slider, row=4, col=1)


def _axes(fig: go.Figure, report: Report, body: bool) -> None:
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
    rows = {**LEVEL_Y, **({BODY_LABEL: BODY_Y} if body else {})}
    fig.update_yaxes(
        row=4,
        col=1,
        range=[0.4, max(rows.values()) + 0.6],
        tickvals=list(rows.values()),
        ticktext=list(rows),
        fixedrange=True,
    )
    if shown := opening_range(report):
        fig.update_xaxes(range=list(shown))
    # every panel on a date axis, also the risk panel of a period without a risk day (no
    # point of its own to tell plotly the axis holds dates: it drew -1 to 6)
    fig.update_xaxes(type="date", showspikes=True, spikemode="across", spikethickness=1)


def build_figure(report: Report) -> go.Figure:
    """The four panels on one date axis: load + sitting, ACWR, CTL/ATL/TSB, risk days (and
    the body's marks); opening on the recent weeks, the rest one click or drag away."""
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
    body = _body_marks(fig, days)
    _axes(fig, report, body)
    _range_controls(fig, report)
    fig.update_layout(
        height=1100,
        barmode="stack",
        bargap=0.15,
        hovermode="closest",
        template="plotly_white",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"},
        legend=LEGEND,  # below the plots and the slider: never under the toolbar
        margin={"l": 60, "r": 60, "t": 72, "b": 40},
    )
    return fig
