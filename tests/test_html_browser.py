"""The HTML report opened in a real headless Chromium with the network blocked: the
figures render (SVG present), no console error, and no request leaves the page.

Talks to Chromium over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL on file descriptors 3 and 4), so it needs nothing but
the standard library and Debian's ``chromium``."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from test_report import shared_season

from runload.config import Settings
from runload.options import resolve_options
from runload.render.html import write_html
from runload.report import report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; CI does)"
)

BLOCK_NETWORK = [
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class DevTools:
    """A minimal DevTools-protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, extra_args: list[str]) -> None:
        self.profile = tempfile.mkdtemp(prefix="runload-chromium-")
        to_child_r, self._to_child_w = os.pipe()
        self._from_child_r, from_child_w = os.pipe()

        def fds() -> None:
            """In the child: the pipe ends on fds 3 and 4. Copied above 10 first, so a pipe
            end that already is fd 3 or 4 is neither clobbered nor left close-on-exec (dup2
            onto itself keeps that flag)."""
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe",
            *extra_args,
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            preexec_fn=fds,  # places the pipe ends on fds 3/4 in the child
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_child_r], [], [], left)
            if ready:
                chunk = os.read(self._from_child_r, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self, method: str, params: dict | None = None, session: str | None = None, timeout=30.0
    ):
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        for e in self.events:
            if e.get("method") == method:
                return e
        deadline = time.monotonic() + timeout
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child_w)
        os.close(self._from_child_r)
        shutil.rmtree(self.profile, ignore_errors=True)


PLOT = "document.querySelectorAll('.js-plotly-plot"
PAGE_FACTS = f"""JSON.stringify({{
    title: document.title,
    svgs: {PLOT} svg.main-svg').length,
    bars: {PLOT} g.barlayer path').length,
    lines: {PLOT} g.scatterlayer path.js-line').length,
    subplots: {PLOT} g.cartesianlayer > g.subplot').length,
    cards: Array.from(document.querySelectorAll('.card .l')).map(e => e.textContent),
    flagged_rows: document.querySelectorAll('table tbody tr').length,
    method_link: (document.querySelector('a[href$="method.md"]') || {{}}).href || null,
    references: document.querySelectorAll('ul.refs li').length,
    risk_ticks: Array.from(document.querySelectorAll('.xaxislayer-above .x4tick text')).map(
        e => e.textContent),
    disclaimer: (document.querySelector('.disclaimer') || {{}}).textContent || '',
}})"""


LAYOUT_FACTS = """JSON.stringify((function () {
    function box(e) {
        var r = e.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
    }
    function all(sel) { return Array.from(document.querySelectorAll(sel)).map(box); }
    function meets(a, b) {  // two boxes share more than a 1 px edge
        return a[0] < b[2] - 1 && b[0] < a[2] - 1 && a[1] < b[3] - 1 && b[1] < a[3] - 1;
    }
    var titles = Array.from(document.querySelectorAll('.annotation')).filter(function (e) {
        return /Daily running load|Acute:chronic|Fitness, fatigue|Risk days/.test(e.textContent);
    }).map(box);
    var legend = all('.legend .bg');
    var plots = all('.nsewdrag');
    var ticks = all('.xtick text').filter(function (b) { return b[2] > b[0]; });
    var modebar = all('.modebar');
    var slider = all('.rangeslider-container');
    var buttons = all('.rangeselector .button');
    var clash = [];
    legend.forEach(function (l) {
        plots.concat(ticks, slider).forEach(function (p) {
            if (meets(l, p)) clash.push(['legend', l, p]);
        });
    });
    modebar.forEach(function (m) {
        titles.forEach(function (t) { if (meets(m, t)) clash.push(['toolbar', m, t]); });
    });
    buttons.forEach(function (b) {
        titles.concat(modebar, plots).forEach(function (t) {
            if (meets(b, t)) clash.push(['range button', b, t]);
        });
    });
    ticks.forEach(function (t) {
        if (t[0] < 0 || t[2] > window.innerWidth) clash.push(['tick cut', t]);
    });
    var row = document.querySelector('table tbody tr');
    var head = document.querySelector('table thead');
    return {
        width: window.innerWidth,
        scroll_width: document.documentElement.scrollWidth,
        clash: clash,
        titles: titles.length,
        buttons: buttons.length,
        sliders: slider.length,
        legend_font: parseFloat(getComputedStyle(document.querySelector('.legend text')).fontSize),
        row_display: row ? getComputedStyle(row).display : null,
        header_shown: head ? getComputedStyle(head).display : null,
    };
})())"""


def open_page(
    url: str, *, expect_plot: bool = True, width: int | None = None, facts: str = PAGE_FACTS
) -> dict[str, Any]:
    """Load ``url`` with the network blocked (in a window ``width`` px wide when given);
    return what the page did (``facts``, a JSON-returning expression evaluated in the page),
    and with ``width`` where things landed."""
    browser = DevTools(BLOCK_NETWORK)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        if width is not None:
            browser.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
                session=session,
            )
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_for("Page.loadEventFired", timeout=60)
        # plotly draws right after load; give it a moment, then read the DOM
        for _ in range(50 if expect_plot else 0):
            count = browser.send(
                "Runtime.evaluate",
                {"expression": f"{PLOT} svg.main-svg').length", "returnByValue": True},
                session=session,
            )["result"]["value"]
            if count:
                break
            time.sleep(0.2)
        browser.drain(0.5)
        facts = browser.send(
            "Runtime.evaluate",
            {"expression": facts, "returnByValue": True},
            session=session,
        )["result"]["value"]
        out = json.loads(facts)
        if width is not None:
            layout = browser.send(
                "Runtime.evaluate",
                {"expression": LAYOUT_FACTS, "returnByValue": True},
                session=session,
            )["result"]
            out["layout"] = json.loads(layout["value"]) if "value" in layout else layout
        out["events"] = list(browser.events)
        return out
    finally:
        browser.close()


def _errors(events: list[dict[str, Any]]) -> list[str]:
    errors = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(json.dumps(params.get("exceptionDetails", {}))[:300])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(json.dumps(params.get("args", []))[:300])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(params["entry"].get("text", "")[:300])
    return errors


def _requests(events: list[dict[str, Any]]) -> list[str]:
    return [
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    ]


@pytest.fixture(scope="module")
def example_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The generated season of ``test_report`` (a run without HR, a ride, a risk day)."""
    season = shared_season(tmp_path_factory)
    rep = report(
        resolve_options(
            [season["fit"]], [season["log"]], settings=Settings(), cache_dir=season["cache"], jobs=1
        )
    )
    out = tmp_path_factory.mktemp("html") / "report.html"
    write_html(rep, out)
    return out, open_page(out.as_uri()) | {"report": rep}


def test_figures_render_offline_without_errors(example_page) -> None:
    path, page = example_page
    rep = page["report"]
    assert _errors(page["events"]) == []
    # the only URL the page asked for is the file itself: no CDN, no font, no MathJax
    assert {u.split("#")[0] for u in _requests(page["events"])} <= {path.as_uri()}
    # load (+ sitting on a second axis), ACWR, CTL/ATL/TSB, risk days
    assert page["subplots"] == 5
    assert page["svgs"] >= 2
    assert page["bars"] >= rep.days.filter(rep.days["load"] > 0).height
    assert page["lines"] >= 5  # sitting, ACWR, CTL, ATL, TSB
    assert page["title"].startswith(f"runload report: {rep.period_from} to {rep.period_to}")
    assert page["cards"] == ["runs", "km", "long runs", "elevated days", "high days"]
    assert page["flagged_rows"] == rep.flagged_days().height > 0
    # no link that breaks once the page is mailed: the method's references are on the page
    assert page["method_link"] is None
    assert page["references"] >= 5
    assert "not medical advice" in page["disclaimer"]


@pytest.mark.parametrize("width", [1280, 400])
def test_nothing_overlaps_at_desktop_and_phone_width(example_page, width: int) -> None:
    """The example page at 1280 px and at a phone's 400 px: no sideways scrolling, the legend
    clear of the plots and the date labels, the toolbar clear of the panel titles, no date
    label cut; on the phone the risk table turns into one card per day."""
    path, _ = example_page
    page = open_page(path.as_uri(), width=width)
    assert _errors(page["events"]) == []
    layout = page["layout"]
    assert layout["width"] == width
    assert layout["scroll_width"] <= width
    assert layout["clash"] == []
    assert layout["titles"] == 4
    assert (layout["buttons"], layout["sliders"]) == (5, 1)  # (and clear of the rest)
    assert layout["legend_font"] >= 11
    if width < 600:
        assert (layout["row_display"], layout["header_shown"]) == ("block", "none")
    else:
        assert (layout["row_display"], layout["header_shown"]) == (
            "table-row",
            "table-header-group",
        )


def test_a_page_that_reaches_out_is_caught(tmp_path: Path) -> None:
    """The harness itself: a page asking for a web font and a script is seen doing so."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="https://fonts.example.com/x.css">'
        '<script src="https://cdn.example.com/plotly.js"></script></head>'
        "<body><script>console.error('boom')</script></body></html>"
    )
    result = open_page(page.as_uri(), expect_plot=False)
    asked = _requests(result["events"])
    assert any(u.startswith("https://cdn.example.com/") for u in asked)
    assert any("boom" in e for e in _errors(result["events"]))


def test_a_period_without_risk_days_shows_dates_under_the_risk_panel(tmp_path: Path) -> None:
    """With no elevated or high day in the period, the risk panel's axis read -1 to 6."""
    import polars as pl
    from test_render import make_report

    rep = make_report()
    rep.days = rep.days.with_columns(pl.lit("low").alias("risk"))
    out = tmp_path / "calm.html"
    write_html(rep, out)
    page = open_page(out.as_uri())
    assert _errors(page["events"]) == []
    ticks = page["risk_ticks"]
    assert ticks, "the risk panel has no tick labels"
    assert not [t for t in ticks if t.lstrip("-").replace(".", "").isdigit()], ticks
    assert any("Mar" in t for t in ticks), ticks


RANGE_FACTS = """JSON.stringify((function () {
    var f = document.getElementById('runload-figure');
    function range(axis) { return f._fullLayout[axis || 'xaxis4'].range.slice(); }
    function texts(sel) {
        return Array.from(document.querySelectorAll(sel)).map(function (e) {
            return e.textContent;
        });
    }
    function click(label) {
        Array.from(document.querySelectorAll('.rangeselector .button')).filter(function (e) {
            return e.textContent === label;
        })[0].dispatchEvent(new MouseEvent('click'));
        return [range(), range('xaxis')];
    }
    var out = {opened: [range(), range('xaxis')], buttons: texts('.rangeselector .button'),
               sliders: document.querySelectorAll('.rangeslider-container').length,
               rows: texts('.yaxislayer-above text')};
    out.all = click('all');
    out.month = click('1 m');
    Plotly.Fx.hover(f, [{curveNumber: BODY_TRACE, pointNumber: 0}], 'x4y5');
    out.hover = texts('.hoverlayer .hovertext');
    return out;
})())"""


def _day(stamp: str) -> dt.date:
    return dt.date.fromisoformat(stamp[:10])


def test_a_long_history_opens_on_its_last_26_weeks(tmp_path: Path) -> None:
    """Three years of daily data: the page opens on the 26 weeks ending on the last day
    with data, with the range buttons (1 m, 3 m, 6 m, 1 y, all) and one slider moving every
    panel; "all" shows the three years, "1 m" the last month; the body's row is there and
    its first mark's hover names the finding and the side."""
    from test_long_history import long_history

    from runload.render.figure import build_figure

    rep = long_history()
    body = [t.name for t in build_figure(rep).data].index("self-check finding or numbness")
    out = tmp_path / "years.html"
    write_html(rep, out)
    page = open_page(out.as_uri(), facts=RANGE_FACTS.replace("BODY_TRACE", str(body)))
    assert _errors(page["events"]) == []
    assert page["buttons"] == ["1 m", "3 m", "6 m", "1 y", "all"] and page["sliders"] == 1
    bottom, top = page["opened"]
    assert bottom == top  # every panel shows the same days
    assert rep.recent_from is not None and rep.period_to is not None
    assert (_day(bottom[0]), _day(bottom[1])) == (
        rep.recent_from - dt.timedelta(days=1),
        rep.period_to + dt.timedelta(days=1),
    )
    everything, top = page["all"]
    assert everything == top
    assert _day(everything[0]) <= rep.period_from and _day(everything[1]) >= rep.period_to
    month, top = page["month"]
    assert month == top
    assert 28 <= (_day(month[1]) - _day(month[0])).days <= 32
    assert _day(month[1]) >= rep.period_to
    assert {"elevated", "high", "body"} <= set(page["rows"])
    hover = " ".join(page["hover"])
    assert "Trendelenburg positive, left" in hover and "the right hip dropped" in hover


def test_a_page_without_a_self_check_has_no_body_row(example_page) -> None:
    """The generated season logs no self-check and no numbness: no row for the body."""
    path, page = example_page
    assert page["report"].days.filter(pl.col("numbness") > 0).height == 0
    rows = open_page(
        path.as_uri(),
        facts="JSON.stringify({rows: Array.from(document.querySelectorAll("
        "'.yaxislayer-above text')).map(e => e.textContent)})",
    )["rows"]
    assert {"elevated", "high"} <= set(rows) and "body" not in rows
