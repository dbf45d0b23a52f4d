"""The library calls docs/library.md and runload.api document, on the example season."""

from __future__ import annotations

from pathlib import Path

import runload.api as api

ROOT = Path(__file__).resolve().parents[1]
SEASON, LOG = ROOT / "examples" / "season", ROOT / "examples" / "sitting.csv"


def test_documented_flow_matches_the_report_command(tmp_path: Path) -> None:
    options = api.resolve_options(
        [SEASON], [LOG], settings=api.load_settings(cwd=tmp_path), jobs=1, cache_dir=tmp_path
    )
    season = api.ingest(options)
    sitting = api.read_sitting(options.sitting)
    result = api.analyse(season.activities, sitting.days, options.settings, facts=season.facts)
    flagged = result.days.filter(result.days["risk"] != "low")

    rep = api.report(options)
    assert flagged.height == rep.summary.elevated_days + rep.summary.high_days > 0
    assert season.runs == rep.summary.runs


def test_every_public_name_is_exported() -> None:
    for name in api.__all__:
        assert getattr(api, name) is not None


def test_the_package_carries_no_test_scaffolding() -> None:
    """The FIT writers, frame builders and worker-killing source the tests use are dev-only
    (tools/fitgen.py, outside the package), so they never ship to users."""
    import importlib.util

    assert importlib.util.find_spec("runload.testing") is None
    package = Path(api.__file__).resolve().parent
    assert not [p for p in package.rglob("*.py") if "tools.fitgen" in p.read_text("utf-8")]
