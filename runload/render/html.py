"""The season report as one self-contained HTML page that works offline.

Owns the page's content: the summary cards, the figure (``runload.render.figure``), the
table of elevated and high days with what to do, the method in short with its references,
the problems and the disclaimer; and its atomic write (``runload.render.page``, the shell
the squad's page shares). plotly.js is inlined (``include_plotlyjs=True``), MathJax is off
and no web font or other URL is loaded, so the page makes no network request at all.
Distances are in the display units (``[display] units``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runload import wording
from runload.metrics import ACWR_LOW
from runload.render.figure import FIT_SCRIPT, build_figure
from runload.render.formats import (
    advice_legend,
    advice_title,
    athlete_text,
    day_view,
    period_text,
    reason_text,
)
from runload.render.page import esc, nowrap_dates, page_head, write_page

if TYPE_CHECKING:
    from runload.report import Report

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


def _short(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cards(report: Report) -> str:
    s, units = report.summary, report.settings.display.units
    cards = [
        ("runs", s.runs, ""),
        (wording.distance_unit(units), wording.distance(s.km, units, decimals=0), ""),
        ("long runs", s.long_runs, ""),
        ("elevated days", s.elevated_days, "elevated"),
        ("high days", s.high_days, "high"),
    ]
    return "".join(
        f'<div class="card {cls}"><div class="n">{esc(n)}</div>'
        f'<div class="l">{esc(label)}</div></div>'
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
    level = esc(d.get("risk"))
    reasons = "".join(f"<li>{esc(reason_text(r))}</li>" for r in d.get("reasons") or [])
    advice = "<br>".join(esc(advice_title(a)) for a in d.get("advice") or [])
    shown = [
        *(esc(c) for c in cells[:6]),
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
        f"<dt>{esc(advice_title(a))}</dt><dd>{esc(a.get('text'))}"
        + (
            "<ul>" + "".join(f"<li>{esc(s)}</li>" for s in a.get("steps") or []) + "</ul>"
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
        f"<li>{esc(who)} <i>{esc(title)}</i> {esc(where)}.</li>" for who, title, where in REFERENCES
    )
    return f'<ul class="refs note">{items}</ul>'


def _facts(report: Report) -> str:
    """Where the athlete's values came from, and the method's notes on this data."""
    items = [f"Athlete: {esc(athlete_text(report.athlete))}"] if report.athlete else []
    items += [esc(n) for n in report.notes]
    if not items:
        return ""
    return '<ul class="note">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _problems(report: Report) -> str:
    from runload.errors import shown_problems

    problems = shown_problems(report.problems)  # (no --verbose here: the notes stay out)
    if not problems:
        return ""
    items = "".join(f'<li class="{p.severity}">{esc(p)}</li>' for p in problems)
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
        f'<span title="{esc(a.get("source"))}">{esc(a["name"])} {esc(_short(a["value"]))}</span>'
        for a in report.athlete
        if a.get("value") is not None
    )
    return f"""{page_head(title)}
<body>
<h1>Running load and sitting, {nowrap_dates(esc(period))}</h1>
<p class="sub">{athlete}</p>
<div class="cards">{_cards(report)}</div>
{figure}
<h2>Elevated and high days</h2>
{_days_table(report)}
<h2>How runload decides</h2>
{_method(report)}
{_problems(report)}
<p class="disclaimer">{esc(DISCLAIMER)}</p>
<p class="note">Made by runload {esc(report.version)}.</p>
</body>
</html>
"""


def write_html(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the page atomically (``runload.render.page.write_page``)."""
    return write_page(path, lambda: render_html(report))
