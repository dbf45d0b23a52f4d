"""Every relative link of README.md and docs/*.md leads somewhere: the file exists in the
repository, and a ``#anchor`` names a heading of that file as GitHub makes the anchor (the
heading's text, lower case, markup and punctuation dropped, spaces to ``-``, a repeated
heading ``-1``, ``-2``...). Links inside code are not links; web addresses are not checked."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
WEB = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def prose(text: str) -> str:
    """``text`` without its code blocks and code spans (they hold no links)."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: its text (code spans keep their text, link and emphasis
    markup goes), lower case, every character but letters, digits, ``-``, ``_`` and spaces
    dropped, spaces to ``-``."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").lower()
    kept = []
    for ch in text:
        if ch in " -_" or unicodedata.category(ch)[0] in "LN":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of every heading of ``path`` (repeats numbered as GitHub numbers them)."""
    seen: dict[str, int] = {}
    out = set()
    for m in HEADING.finditer(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(m.group(1).replace("*", ""))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(path: Path) -> list[str]:
    return [m.group(1) for m in LINK.finditer(prose(path.read_text(encoding="utf-8")))]


def test_github_anchor_rules() -> None:
    assert slug("Set-up: two commands") == "set-up-two-commands"
    assert slug("Fitbit's export (Google Takeout)") == "fitbits-export-google-takeout"
    assert slug("Dates runload leaves out (`runload/span.py`)") == (
        "dates-runload-leaves-out-runloadspanpy"
    )
    assert slug("What `runload sources` shows") == "what-runload-sources-shows"
    assert slug("How often a flag fires, and what the evidence says") == (
        "how-often-a-flag-fires-and-what-the-evidence-says"
    )
    assert slug("Load of one run: Banister TRIMP") == "load-of-one-run-banister-trimp"
    assert slug("A → B — 2 × 3") == "a--b--2--3"


def test_links_and_code_are_told_apart() -> None:
    text = '[a](x.md) `[b](y.md)` [c](<z.md> "title") ![d](e.png)\n```\n[f](g.md)\n```\n'
    assert [m.group(1) for m in LINK.finditer(prose(text))] == ["x.md", "z.md", "e.png"]


@pytest.mark.parametrize("doc", DOCS, ids=[d.relative_to(ROOT).as_posix() for d in DOCS])
def test_every_relative_link_and_anchor_leads_somewhere(doc: Path) -> None:
    broken = []
    for target in links(doc):
        if WEB.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (doc.parent / file_part).resolve() if file_part else doc
        if not dest.is_relative_to(ROOT) or not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and (dest.suffix != ".md" or anchor not in anchors(dest)):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, f"{doc.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_docs_pages_are_all_linked_from_the_readme() -> None:
    """Every docs page is one click from the README (so details are never lost)."""
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in links(ROOT / "README.md")}
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert page.resolve() in linked, f"README.md does not link {page.relative_to(ROOT)}"
