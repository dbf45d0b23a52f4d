"""Take docs/report.png: the HTML page of the README's main command, as headless Chromium
draws it at 1280 × 2400. Dev-only (needs Debian's ``chromium``); run it after a change that
shows on the page, so the README's picture stays the page it describes.

    python tools/screenshot.py [OUT.png]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,2400",
    "--virtual-time-budget=10000",
)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "report.png"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "runload", "report", str(ROOT / "examples" / "season"),
             "--sitting", str(ROOT / "examples" / "sitting.csv"), "--html", str(page),
             "--format", "json", "--cache-dir", str(Path(tmp) / "cache")],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        profile = Path(tmp) / "profile"
        subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}", page.as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
    print(f"{out} written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
