"""The renderers on a report built by hand: they only format, so every expectation here
is read off the frame given to them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from runload.errors import InputError, Problem
from runload.render import figure, formats, html, terminal
from runload.render.page import esc
from runload.render.tables import dumps, json_value
from runload.report import Check, Report, Summary
from runload.risk import REASON_DTYPE
from runload.schema import DAY_COLUMNS

START = dt.date(2026, 3, 2)
ADVICE = pl.Struct(
    {"code": pl.String, "title": pl.String, "text": pl.String, "steps": pl.List(pl.String)}
)
HIP = {
    "code": "hip_flexor_stretch",
    "title": "Open the hips before you run",
    "text": "About 6–8 minutes.",
    "steps": ["Kneeling hip flexor stretch: 2 × 30 s per side", "Glute bridges: 2 × 12"],
}
REST = {"code": "rest_rice", "title": "Rest today", "text": "RICE.", "steps": ["Ice 15 min"]}
SAT = {
    "factor": "sitting",
    "points": 2,
    "value": 10.5,
    "threshold": 10.0,
    "unit": "h",
    "detail": "sat 10.5 h the day before a 1 h 52 min run",
}
LONG = {
    "factor": "long_run",
    "points": 1,
    "value": 112.0,
    "threshold": 90.0,
    "unit": "min",
    "detail": "long run of 1 h 52 min | <b>",
}
SPIKE = {
    "factor": "load_spike",
    "points": 2,
    "value": 1.56,
    "threshold": 1.5,
    "unit": "ratio",
    "detail": "acute:chronic load 1.56",
}


def _day(i: int, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {c: None for c in DAY_COLUMNS}
    row.update(
        date=START + dt.timedelta(days=i),
        runs=0,
        run_minutes=0.0,
        distance_km=0.0,
        load=0.0,
        load_estimated=False,
        long_run=False,
        long_run_spike=False,
        sitting_hours=6.0,
        sitting_source="self_report",
        ctl=float(i),
        atl=float(i),
        tsb=0.0,
        score=0,
        risk="low",
        reasons=[],
        advice=[],
        points=0,  # an extra column of the method: never in the JSON days
    )
    row.update(kw)
    return row


def make_report(problems: list[Problem] | None = None) -> Report:
    rows = [_day(i) for i in range(10)]
    rows[2] = _day(2, runs=1, run_minutes=40.0, load=60.0, load_estimated=True)
    rows[5] = _day(
        5,
        runs=1,
        run_minutes=112.0,
        distance_km=20.0,
        load=180.0,
        long_run=True,
        sitting_hours=10.5,
        acwr=1.21,
        score=3,
        risk="elevated",
        reasons=[SAT, LONG],
        advice=[HIP],
    )
    rows[8] = _day(
        8,
        runs=1,
        run_minutes=95.0,
        load=float("nan"),
        long_run=True,
        long_run_spike=True,
        acwr=1.56,
        score=5,
        risk="high",
        reasons=[SAT, LONG, SPIKE],
        advice=[HIP, REST],
    )
    days = pl.DataFrame(
        rows,
        schema_overrides={
            "numbness": pl.Int8,
            "acute": pl.Float64,
            "chronic": pl.Float64,
            "acwr": pl.Float64,
            "monotony": pl.Float64,
            "strain": pl.Float64,
            "reasons": pl.List(REASON_DTYPE),
            "advice": pl.List(ADVICE),
        },
        strict=False,
    )
    activities = pl.DataFrame(
        {
            "file": ["a.fit"],
            "session": [0],
            "date": [START + dt.timedelta(days=5)],
            "start_utc": [dt.datetime(2026, 3, 7, 8, 0, tzinfo=dt.UTC)],
            "load": [180.0],
        }
    )
    return Report(
        period_from=START,
        period_to=START + dt.timedelta(days=9),
        summary=Summary(3, 41.5, 2, 1, 1, 1, 247.0),
        athlete=[
            {"name": "hr_max", "value": 190.0, "source": "file a.fit"},
            {"name": "sex", "value": "male", "source": "config"},
        ],
        days=days,
        activities=activities,
        problems=problems or [],
        data_from=START,
        data_to=START + dt.timedelta(days=9),
    )


LONG_PROBLEM = Problem(
    "season/2026-03-07-a-file-with-a-very-long-name-from-a-bulk-export.fit",
    "warning",
    "truncated after 12 345 bytes: kept the 4 000 records read before the break",
    offset=12345,
)


# --- JSON / CSV / Markdown -------------------------------------------------------------------


def test_json_keys_and_day_fields_exactly() -> None:
    doc = json.loads(formats.report_json(make_report([LONG_PROBLEM])))
    assert list(doc) == [
        "runload_version",
        "display_units",
        "athlete",
        "period",
        "days",
        "activities",
        "duplicates",
        "no_activity",
        "problems",
    ]
    assert [list(d) for d in doc["days"]] == [list(DAY_COLUMNS)] * 10
    high = doc["days"][8]
    assert high["date"] == "2026-03-10"
    assert high["load"] is None  # NaN never reaches JSON
    assert high["reasons"] == [SAT, LONG, SPIKE]
    assert high["advice"] == [HIP, REST]
    assert doc["activities"][0]["start_utc"] == "2026-03-07T08:00:00Z"
    assert doc["problems"][0]["offset"] == 12345
    assert doc["period"]["from"] == "2026-03-02" and doc["period"]["to"] == "2026-03-11"


def test_csv_is_every_day_with_flat_reasons() -> None:
    rows = list(csv.DictReader(io.StringIO(formats.report_csv(make_report()))))
    assert len(rows) == 10
    assert list(rows[0]) == list(DAY_COLUMNS)
    assert rows[5]["reasons"] == f"{SAT['detail']}; {LONG['detail']}"
    assert rows[8]["advice"] == "hip_flexor_stretch; rest_rice"


def test_markdown_shows_the_risk_days_and_escapes_pipes() -> None:
    text = formats.report_markdown(make_report([LONG_PROBLEM]))
    rows = [line for line in text.splitlines() if line.startswith("| 2026-")]
    assert [r.split(" | ")[0] for r in rows] == ["| 2026-03-07", "| 2026-03-10"]
    assert "| elevated |" in rows[0] and "| high |" in rows[1]
    assert "long run of 1 h 52 min \\| <b>" in rows[0]
    assert "## What to do" in text and "Kneeling hip flexor stretch" in text
    assert text.index("## What to do") < text.index("## Problems") < text.index("not medical")
    noted = make_report()
    noted.notes = ["1 run(s) had no heart rate: their load is estimated"]
    assert "- Note: 1 run(s) had no heart rate" in formats.report_markdown(noted)
    every = formats.report_markdown(make_report(), all_days=True)
    assert sum(line.startswith("| 2026-") for line in every.splitlines()) == 10
    assert "60*" in every and "load estimated" in every


def test_day_view_cells() -> None:
    row = make_report().days.row(8, named=True)
    cells = formats.day_view(row)
    assert cells[:7] == ["2026-03-10", "1", "", "long, spike", "6", "1.56", "high"]
    assert formats.day_view({**row, "sitting_hours": 9.95})[4] == "9.95"
    # cut, never rounded, as the reasons are worded: no "10" next to "10 h or more" unmet,
    # no ACWR "1.42" beside a reason saying "acute:chronic load 1.41"
    assert formats.day_view({**row, "sitting_hours": 599.8 / 60})[4] == "9.99"
    assert formats.day_view({**row, "acwr": 1.419492970738362})[5] == "1.41"
    assert formats.day_view({**row, "acwr": 1.4999999})[5] == "1.49"
    assert formats.day_view({**row, "acwr": 1.3 - 1e-12})[5] == "1.3"  # reached, with EPS
    assert formats.day_view({**row, "acwr": float("nan")})[5] == ""
    assert cells[7].startswith("+2 sat 10.5 h")
    assert cells[8] == "Open the hips before you run; Rest today"


# --- terminal --------------------------------------------------------------------------------


def _render(report: Report, **kw: object) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=80, color_system=None)
    terminal.print_report(report, console, **kw)  # type: ignore[arg-type]
    return buf.getvalue()


def test_terminal_order_header_days_advice_problems_disclaimer() -> None:
    out = _render(make_report([LONG_PROBLEM]))
    order = [
        out.index("Period"),
        out.index("1 elevated, 1 high"),
        out.index("Elevated and high days"),
        out.index("2026-03-07"),
        out.index("2026-03-10"),
        out.index("What to do"),
        out.index("Problems (1)"),
        out.index("not medical advice"),
    ]
    assert order == sorted(order)
    assert "2026-03-04" not in out  # a low day is not shown without --all
    # a problem is one whole line, even past 80 columns
    assert (
        str(LONG_PROBLEM)
        in out.splitlines()[[LONG_PROBLEM.path in x for x in out.splitlines()].index(True)]
    )
    assert max(len(line) for line in out.splitlines() if LONG_PROBLEM.path not in line) <= 80


def test_terminal_all_days_and_empty_period() -> None:
    out = _render(make_report(), all_days=True)
    assert "Every day" in out and "2026-03-04" in out and "60*" in out
    empty = make_report()
    empty.days = empty.days.clear()
    empty.period_from = empty.period_to = None
    assert "No day to show in this period." in _render(empty)


def test_check_lines() -> None:
    answer = Check(
        day=dt.date(2026, 3, 10),
        risk="high",
        score=5,
        reasons=[SAT, LONG, SPIKE],
        advice=[HIP, REST],
        planned_minutes=95,
        notes=["no sitting logged for 2026-03-10"],
    )
    lines = formats.check_lines(answer)
    assert lines[0] == "2026-03-10, planned run 1 h 35 min: HIGH (5 points)"
    assert "    - Kneeling hip flexor stretch: 2 × 30 s per side" in lines
    assert lines[-1] == "Note: no sitting logged for 2026-03-10"
    assert answer.steps == [*HIP["steps"], *REST["steps"]]
    doc = formats.check_dict(answer)
    # "risk" as in the report; "level" kept one release for scripts written against 0.1
    assert doc["risk"] == doc["level"] == "high"


def test_check_on_a_narrow_terminal_wraps_under_itself() -> None:
    answer = Check(
        day=dt.date(2026, 3, 10), risk="high", score=5, reasons=[SAT, LONG, SPIKE], advice=[HIP]
    )
    buf = io.StringIO()
    terminal.print_check(answer, Console(file=buf, width=40, color_system=None))
    lines = buf.getvalue().splitlines()
    assert max(len(line) for line in lines if "not medical" not in line) <= 40
    assert all(line == line.rstrip() for line in lines)
    start = lines.index("  +2 sat 10.5 h the day before a 1 h")
    # the rest of the reason, indented under it; a number never wrapped apart from its unit
    assert lines[start + 1] == "    52 min run"
    step = lines.index("    - Kneeling hip flexor stretch: 2 ×")
    assert lines[step + 1] == "      30 s per side"


# --- HTML ------------------------------------------------------------------------------------


class _Resources(HTMLParser):
    """Every URL the page would load, and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "srcset", "data"):
            if a.get(key):
                self.loads.append(a[key] or "")
        if tag == "link" and a.get("href"):
            self.loads.append(a["href"] or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


def test_html_is_self_contained() -> None:
    page = html.render_html(make_report([LONG_PROBLEM]))
    parser = _Resources()
    parser.feed(page)
    assert parser.loads == []  # no script src, no stylesheet, no font, no image
    # no link to docs/method.md, which points nowhere once the page is mailed: the page
    # carries the method in short and its references
    assert parser.links == []
    assert "A systems model of training for athletic performance" in page
    assert "@import" not in page and "url(" not in page.split("<script")[0]
    assert "MathJax" not in page.split("<script")[0]
    assert len(page) > 3_000_000  # plotly.js itself is inlined
    assert "<title>runload report: 2026-03-02 to 2026-03-11 (10 days)</title>" in page
    assert page.count('<span class="level elevated">') == 1
    assert page.count('<span class="level high">') == 1
    assert "long run of 1 h 52 min | &lt;b&gt;" in page  # text from the data is escaped
    assert "Problems with the input" in page and "not medical advice" in page
    # a phone shows each risk day as a card, every cell labelled with its column
    assert "@media (max-width: 700px)" in page
    for label in ("runs", "load", "long run", "sitting h", "ACWR", "risk", "why", "do"):
        assert page.count(f'data-label="{label}"') == 2, label
    assert '<span class="nw">2026-03-02</span>' in page  # the date never breaks at a hyphen


def test_html_figure_has_the_four_panels_and_the_method_lines() -> None:
    fig = figure.build_figure(make_report())
    names = {t.name for t in fig.data}
    assert {"daily load (TRIMP)", "load estimated (no HR)", "long run", "sitting hours"} <= names
    assert {"8 h sitting", "10 h sitting", "acute:chronic (rolling)", "high day"} <= names
    assert {"fitness (CTL, 42 d)", "fatigue (ATL, 7 d)", "form (TSB)"} <= names
    estimated = next(t for t in fig.data if t.name == "load estimated (no HR)")
    assert estimated.marker.pattern.shape == "/"
    assert [y for y in estimated.y if y is not None] == [60.0]
    acwr = next(t for t in fig.data if t.name == "acute:chronic (rolling)")
    assert acwr.customdata[8] == "1.56" and "%{customdata}" in acwr.hovertemplate
    high = next(t for t in fig.data if t.name == "high day")
    assert "acute:chronic load 1.56" in high.hovertext[0]
    shapes = fig.layout.shapes
    bands = [s for s in shapes if s.yref == "y domain"]  # the risk days on the load panel
    assert [(b.x0, b.xref, b.fillcolor) for b in bands] == [
        ("2026-03-07T00:00", "x", figure.COLOURS["elevated"]),
        ("2026-03-10T00:00", "x", figure.COLOURS["high"]),
    ]
    assert any(s.type == "rect" and (s.y0, s.y1) == (0.8, 1.3) for s in shapes)
    assert any(s.type == "line" and s.y0 == s.y1 == 1.5 for s in shapes)
    # one date axis: the upper three panels follow the bottom one
    xaxes = {k: fig.layout[k] for k in fig.layout if k.startswith("xaxis")}
    assert sorted(xaxes) == ["xaxis", "xaxis2", "xaxis3", "xaxis4"]
    assert [xaxes[k].matches for k in ("xaxis", "xaxis2", "xaxis3")] == ["x4"] * 3


def test_html_labels_follow_the_settings(tmp_path: Path) -> None:
    """A changed config shows in the legend and the method text, never the defaults."""
    from runload.config import read_settings

    config = tmp_path / "runload.toml"
    config.write_text("[load]\nctl_days = 28\natl_days = 5\nspike_days = 21\n")
    rep = make_report()
    rep.settings = read_settings(config)
    names = {t.name for t in figure.build_figure(rep).data}
    assert {"fitness (CTL, 28 d)", "fatigue (ATL, 5 d)"} <= names
    assert not {"fitness (CTL, 42 d)", "fatigue (ATL, 7 d)"} & names
    page = html.render_html(rep)
    method = page[page.index("How runload decides") :]
    assert "28- and 5-day" in method and "in the 21 days before" in method
    assert "42-" not in method and "30 days" not in method


def test_a_one_day_report_still_draws_its_bar_and_lines() -> None:
    rep = make_report()
    rep.days = rep.days.slice(5, 1)
    rep.period_from = rep.period_to = rep.days.item(0, "date")
    assert formats.period_text(rep) == "2026-03-07 to 2026-03-07 (1 day)"
    fig = figure.build_figure(rep)
    bar = next(t for t in fig.data if t.name == "daily load (TRIMP)")
    assert bar.width == 0.8 * 86_400_000  # plotly's own width would be 1 ms: no bar at all
    ctl = next(t for t in fig.data if t.name.startswith("fitness"))
    assert ctl.mode == "lines+markers"
    eight = next(t for t in fig.data if t.name == "8 h sitting")
    assert eight.x == ("2026-03-07T00:00", "2026-03-07T23:59")


def test_write_html_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.html"
    html.write_html(make_report(), target)
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    old = "<!DOCTYPE html>\n<html>the old report</html>\n"  # an earlier report is replaced
    target.write_text(old)

    def boom(_report: Report) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(html, "render_html", boom)
    with pytest.raises(RuntimeError):
        html.write_html(make_report(), target)
    assert target.read_text() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_html_under_a_file_instead_of_a_folder_names_it(tmp_path: Path) -> None:
    # a missing folder is made (tests/test_safe_writes.py); a file in its place is an error
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"notes\.txt/r\.html: cannot write the HTML report"):
        html.write_html(make_report(), tmp_path / "notes.txt" / "r.html")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_page_carries_the_method_references_of_docs_method_md() -> None:
    """The page linked a relative docs/method.md that breaks once the page is mailed: it
    carries the short method and the references, each as docs/method.md lists it."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "method.md").read_text()
    method = " ".join(text.split())  # (its lines wrap inside a title)
    page = html.render_html(make_report())
    for who, title, _where in html.REFERENCES:
        assert title.rstrip(".") in method, title
        assert who.split(",")[0] in method, who
        assert esc(title) in page
    assert 'href="docs/method.md"' not in page


def test_a_period_without_risk_days_keeps_a_date_axis() -> None:
    """With no elevated or high day the risk panel has no point: its axis was numeric,
    -1 to 6, instead of dates."""
    rep = make_report()
    rep.days = rep.days.with_columns(pl.lit("low").alias("risk"))
    fig = figure.build_figure(rep)
    risk_points = [t for t in fig.data if t.name in ("elevated day", "high day")]
    assert all(len(t.x) == 0 for t in risk_points)
    assert {fig.layout[f"xaxis{i}"].type for i in ("", "2", "3", "4")} == {"date"}


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_JSONISH = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none(), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(_JSONISH)
@settings(max_examples=400, deadline=None)
def test_dumps_writes_what_the_indenting_json_encoder_writes(obj: Any) -> None:
    # the rows are written by the C encoder with the indenting encoder's separators: the
    # text must be that encoder's to the byte (nesting, empties, NaN, keys that are not text)
    assert dumps(obj) == json.dumps(obj, indent=2, ensure_ascii=False)


def test_json_value_takes_plain_cells_as_they_are_and_nan_as_null() -> None:
    assert [json_value(v) for v in ("é", 3, True, None, 2.5)] == ["é", 3, True, None, 2.5]
    assert [json_value(v) for v in (math.nan, math.inf, -math.inf)] == [None, None, None]
    assert json_value([1.0, math.nan, dt.date(2026, 1, 4)]) == [1.0, None, "2026-01-04"]
