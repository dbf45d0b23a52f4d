"""The shell every runload page shares (the season report, the squad): the page head with
the stylesheet, escaping text for HTML, and the atomic write that never replaces a file that
is not an HTML page. Nothing here knows what a page shows."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runload.fsutil import HTML_STARTS, atomic_write, foreign_file

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


def esc(value: Any) -> str:
    """``value`` as HTML text (None reads as nothing)."""
    return html.escape("" if value is None else str(value))


def nowrap_dates(text: str) -> str:
    """Keep each ISO date on one line (a narrow screen would break it at a hyphen)."""
    return re.sub(r"\d{4}-\d{2}-\d{2}", lambda m: f'<span class="nw">{m.group(0)}</span>', text)


def page_head(title: str, css: str = "", script: str = "") -> str:
    """The start of a runload page up to ``</head>``: ``CSS`` plus ``css``, and ``script``
    (inlined JavaScript) when given."""
    js = f'<script type="text/javascript">{script}</script>\n' if script else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{CSS}{css}</style>
{js}</head>"""


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
