"""entries: the cache entries of many results made as one frame are, file for file, the
entries each result makes alone (the same rows, problems, facts and kind)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from runload.cache import Rows, joined
from runload.entries import entries_from_results, entry_from_result
from runload.fit import read_fit
from runload.readers import read_activity

ROOT = Path(__file__).resolve().parents[1]


def _same(results: list) -> None:
    together = entries_from_results(results)
    assert len(together) == len(results)
    for result, entry in zip(results, together, strict=True):
        alone = entry_from_result(result)
        assert entry.sessions.equals(alone.sessions), result.sessions
        assert dict(entry.sessions.schema) == dict(alone.sessions.schema)
        assert (entry.problems, entry.facts, entry.kind) == (
            alone.problems,
            alone.facts,
            alone.kind,
        )
    if together and all(isinstance(e, Rows) for e in together):
        whole = pl.concat([entry_from_result(r).sessions for r in results], how="diagonal")
        assert joined(together, "diagonal").equals(whole)


def test_entries_made_together_equal_those_made_alone_on_every_real_fit_file(
    shared_fit_dir: Path,
) -> None:
    # damaged files, swims, rides, devices without HR, files with no session at all (the
    # small ones: the big ones are more of the same records, and slow to decode)
    paths = [p for p in sorted(shared_fit_dir.glob("*.fit")) if p.stat().st_size < 100_000]
    results = [read_fit(p.read_bytes(), p.name) for p in paths]
    assert len(results) > 50
    _same(results)
    for first in range(0, len(results), 7):  # and in small batches, as ingest makes them
        _same(results[first : first + 7])


def test_entries_made_together_equal_those_made_alone_on_the_example_season() -> None:
    from runload.inputs import find_inputs

    sources, _ = find_inputs([ROOT / "examples" / "season"])
    results = [read_activity(source)[0] for source in sources]
    assert all(r is not None for r in results) and len(results) == 70
    _same(results)


def test_a_batch_that_polars_refuses_makes_each_entry_alone() -> None:
    # a reader gave a value of another type than the others (a sport as a number): the
    # batch frame cannot be built, and each file's entry is still the one it makes alone
    season = sorted((ROOT / "examples" / "season").glob("*.fit"))[:3]
    results = [read_fit(p.read_bytes(), p.name) for p in season]
    results[1].sessions[0].sport = 7  # type: ignore[assignment]  # a reader's odd type
    try:
        alone = entry_from_result(results[1])
    except Exception:  # polars refuses it alone too: then so may the batch
        return
    together = entries_from_results(results)
    assert together[1].sessions.equals(alone.sessions)
