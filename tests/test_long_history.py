"""A long history a runner can read: years of runs open on their recent weeks. The terminal
lists the flagged days of the last ``RECENT_WEEKS`` (26) and says how many earlier ones there
are and how to see them; ``--from``/``--to`` and ``--all`` list what they ask for; JSON, CSV
and Markdown keep every day. (The HTML page's opening range: ``test_html_browser``.)"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import polars as pl
import pytest
from rich.console import Console

from runload.analysis import analyse
from runload.config import Settings
from runload.render import figure, formats, terminal
from runload.report import RECENT_WEEKS, Report, Summary
from tools.fitgen import activities_frame, run_record, sitting_frame, sitting_record

FIRST = dt.date(2021, 1, 4)  # a Monday


def long_history(years: int = 3, *, body: bool = True) -> Report:
    """``years`` of running, four runs a week, as the report of the whole data: every third
    Saturday a 95 min run after a 10.5 h desk day (elevated), other days 6 h of sitting;
    with ``body`` a few self-checks (a positive Trendelenburg, pain, a negative check) and a
    day of numbness. Built from frames, not files: three years of FIT files would take
    minutes to write, and the page draws only the days."""
    days = years * 364
    runs, sitting = [], []
    for i in range(days):
        day = FIRST + dt.timedelta(days=i)
        week, weekday = divmod(i, 7)
        if weekday in (1, 3):
            runs.append(run_record(day, 40, hour=18, avg_hr=145, distance_km=8.0))
        elif weekday == 5:
            long = week % 3 == 0
            minutes, km = (95, 17.0) if long else (60, 11.0)
            runs.append(run_record(day, minutes, hour=18, avg_hr=150, distance_km=km))
        elif weekday == 6:
            runs.append(run_record(day, 30, hour=9, avg_hr=140, distance_km=5.0))
        hours = 10.5 if weekday == 5 and week % 3 == 0 else 6.0
        sitting.append(sitting_record(day, hours))
    if body:
        last = FIRST + dt.timedelta(days=days - 1)
        marks = {
            last - dt.timedelta(days=20): {"trendelenburg": "left", "thomas": "none"},
            last - dt.timedelta(days=10): {"pain": "knee+lower_back"},
            last - dt.timedelta(days=3): {"trendelenburg": "none", "thomas": "both"},
        }
        for row in sitting:
            row.update(marks.get(row["date"], {}))  # type: ignore[arg-type]
        sitting[-5]["numbness"] = 4
        sitting[-30]["trendelenburg"] = "none"  # a negative check: no mark
    result = analyse(activities_frame(runs), sitting_frame(sitting), Settings())
    table, acts = result.days.sort("date"), result.activities
    risk = table.get_column("risk")
    return Report(
        period_from=table.get_column("date").min(),
        period_to=table.get_column("date").max(),
        summary=Summary(
            runs=acts.height,
            km=float(acts.get_column("distance_km").sum()),
            long_runs=int(acts.get_column("long_run").sum()),
            elevated_days=int((risk == "elevated").sum()),
            high_days=int((risk == "high").sum()),
            run_minutes=float(acts.get_column("moving_minutes").sum()),
        ),
        athlete=[],
        days=table,
        activities=acts,
    )


@pytest.fixture(scope="module")
def history() -> Report:
    return long_history()


def _terminal(rep: Report, **kw: bool) -> str:
    out = io.StringIO()
    terminal.print_report(rep, Console(file=out, width=100, color_system=None), **kw)
    return out.getvalue()


def _listed(text: str) -> list[str]:
    return re.findall(r"^(\d{4}-\d{2}-\d{2}) ", text, re.M)


def test_recent_weeks_end_on_the_last_day_with_data_not_today(history: Report) -> None:
    assert history.period_to == FIRST + dt.timedelta(days=3 * 364 - 1)
    assert history.recent_from == history.period_to - dt.timedelta(days=7 * RECENT_WEEKS - 1)
    short = long_history(years=1, body=False)
    short.days = short.days.filter(pl.col("date") >= short.period_to - dt.timedelta(days=181))
    short.period_from = short.days.get_column("date").min()
    assert (short.period_to - short.period_from).days + 1 == 7 * RECENT_WEEKS
    assert short.recent_from is None  # 26 weeks exactly: all of it


def test_the_terminal_leads_with_the_recent_weeks_and_counts_the_earlier(history) -> None:
    flagged = history.flagged_days()
    cut = history.recent_from
    recent = flagged.filter(pl.col("date") >= cut)
    earlier = flagged.filter(pl.col("date") < cut)
    assert recent.height >= 5 and earlier.height >= 20  # the history has something to hide
    text = _terminal(history)
    assert f"Elevated and high days of the last 26 weeks (from {cut})" in text
    assert _listed(text) == [str(d) for d in recent.get_column("date").to_list()]
    first, last = earlier.get_column("date").min(), earlier.get_column("date").max()
    assert (
        f"{earlier.height} earlier elevated or high days ({first} to {last}) not listed: add "
        f"--from {history.period_from} to list every one"
    ) in " ".join(text.split())
    # the header still counts the whole period
    assert f"{flagged.height - (flagged.get_column('risk') == 'high').sum()} elevated" in text


def test_a_period_asked_for_or_every_day_is_listed_whole(history: Report) -> None:
    flagged = [str(d) for d in history.flagged_days().get_column("date").to_list()]
    history.period_asked = True  # as --from/--to set it
    try:
        text = _terminal(history)
    finally:
        history.period_asked = False
    assert _listed(text) == flagged and "earlier" not in text
    every = _terminal(history, all_days=True)
    assert len(_listed(every)) == history.days.height and "earlier" not in every


def test_json_csv_and_markdown_keep_every_day(history: Report) -> None:
    doc = json.loads(formats.report_json(history))
    assert len(doc["days"]) == history.days.height == 3 * 364
    assert formats.report_csv(history).count("\n") == history.days.height + 1
    markdown = formats.report_markdown(history)
    assert len(re.findall(r"^\| \d{4}-", markdown, re.M)) == history.flagged_days().height


def test_the_figure_opens_on_the_recent_weeks_with_its_controls(history: Report) -> None:
    fig = figure.build_figure(history)
    pad = dt.timedelta(days=1)
    start = dt.datetime.combine(history.recent_from, dt.time()) - pad
    end = dt.datetime.combine(history.period_to, dt.time()) + pad
    assert fig.layout.xaxis4.range == (start.isoformat(), end.isoformat())
    buttons = fig.layout.xaxis.rangeselector.buttons
    assert [b.label for b in buttons] == ["1 m", "3 m", "6 m", "1 y", "all"]
    slider = fig.layout.xaxis4.rangeslider
    assert slider.visible is True
    first = dt.datetime.combine(history.period_from, dt.time()) - pad
    assert slider.range == (first.isoformat(), end.isoformat())  # the period, no padding
    # the slider's axis is the one every panel matches: one range for all
    assert {fig.layout[f"xaxis{i}"].matches for i in ("", "2", "3")} == {"x4"}


def _risk_rows(fig) -> list[str]:
    """The labels of the risk panel's rows (the one y axis with tick labels of its own)."""
    (rows,) = [fig.layout[k].ticktext for k in fig.layout if k.startswith("yaxis")
               and fig.layout[k].ticktext]  # fmt: skip
    return list(rows)


def test_the_body_marks_name_the_finding_and_side(history: Report) -> None:
    fig = figure.build_figure(history)
    marks = next(t for t in fig.data if t.name == "self-check finding or numbness")
    last = history.period_to
    days = [last - dt.timedelta(days=n) for n in (20, 10, 4, 3)]
    assert list(marks.x) == days  # the negative check and the days after: no mark
    hover = dict(zip(marks.x, marks.hovertext, strict=True))
    assert (
        "Trendelenburg positive, left: standing on the left leg, the right hip dropped"
        in (hover[days[0]])
    )
    assert "pain at the knee and the lower back" in hover[days[1]]
    assert "numbness 4/10" in hover[days[2]]
    assert "Thomas test positive, both: both thighs lifted" in hover[days[3]]
    assert "Trendelenburg" not in hover[days[3]]  # its check that day was negative
    assert _risk_rows(fig) == ["elevated", "high", "body"]
    calm = long_history(years=1, body=False)
    fig = figure.build_figure(calm)
    assert "self-check finding or numbness" not in {t.name for t in fig.data}
    assert _risk_rows(fig) == ["elevated", "high"]
