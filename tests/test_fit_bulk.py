"""Records in bulk (``messages.RECORDS``): the fast decoder reads a run of records of one
definition at once, and on every real file in ../shared/fixtures/fit it reads exactly the
messages the public decoder reads, record for record, and stops where it stops; what
``read_fit`` keeps of a file is the same either way. Runs broken by a compressed
timestamp, a developer field or a cut are read record by record (the block ends there)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from runload.errors import NotFitError
from runload.fit import activity, decoder, fast, public, read_fit
from runload.fit.layout import check_layout
from runload.fit.messages import RECORD, RECORDS, Message, expand
from tools.fitgen import activity_bytes, run

FULL = activity.FULL  # (it asks for blocks: RECORDS)


@pytest.fixture(autouse=True)
def _fresh_verdict(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(decoder.ENV_VAR, raising=False)
    decoder.reset_verdict()
    yield
    decoder.reset_verdict()


def _layouts(folder: Path) -> Iterator[tuple[str, object]]:
    for path in sorted(folder.glob("*.fit")):
        try:
            yield path.name, check_layout(path.read_bytes())
        except NotFitError:  # not FIT at all: no decoder reads it
            continue


def _blocks(layout: object) -> list[Message]:
    out: list[Message] = []
    decoder._walk(fast.messages, layout.data, FULL, {"*": lambda _, m: out.append(m)}, None)  # type: ignore[attr-defined]
    return [m for m in out if m.name == RECORDS]


@pytest.mark.slow  # (two minutes: the public decoder over every fixture)
def test_in_bulk_the_fast_decoder_reads_every_fixture_as_the_public_one(
    shared_fit_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Message for message where the fast decoder reads a file to the same end; where it
    gives up (an exception: never damage), the file as ``read_fit`` keeps it is the
    public decoder's anyway, which the last part checks."""
    compared, gave_up, in_blocks = 0, [], 0
    for name, layout in _layouts(shared_fit_dir):
        mine, mine_end = decoder.trace(fast.messages, layout, FULL)  # type: ignore[arg-type]
        theirs, their_end = decoder.trace(public.messages, layout, FULL)  # type: ignore[arg-type]
        if mine_end != their_end and mine_end != "end":
            gave_up.append(name)
            continue
        assert mine == theirs, name
        assert mine_end == their_end, name
        compared += 1
        in_blocks += sum(len(next(iter(m.values.values()))) for m in _blocks(layout))
    assert compared >= 90  # of the 108: all but a few broken ones
    assert in_blocks > 100_000  # most records came in blocks
    fast_read = {n: read_fit((shared_fit_dir / n).read_bytes(), n) for n in gave_up}
    monkeypatch.setenv(decoder.ENV_VAR, "public")
    decoder.reset_verdict()
    for n in gave_up:
        theirs = read_fit((shared_fit_dir / n).read_bytes(), n)
        mine = dataclasses.replace(fast_read[n], decoder="", note=None)
        assert mine == dataclasses.replace(theirs, decoder="", note=None), n


def test_a_block_expands_to_its_records() -> None:
    block = Message(RECORDS, {"timestamp": [1, 2], "heart_rate": [140, None]}, {})
    assert expand(block) == [
        Message(RECORD, {"timestamp": 1, "heart_rate": 140}, {}),
        Message(RECORD, {"timestamp": 2, "heart_rate": None}, {}),
    ]
    other = Message("lap", {"timestamp": 3}, {})
    assert expand(other) == [other]


def test_a_cut_inside_a_run_of_records_is_damage_at_that_record() -> None:
    """The block ends before the record the bytes run out in; that record is the damage,
    at its own offset, as the public decoder says."""
    start = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    data = activity_bytes(run(start, 30, 6.0, hr=150, record_every_s=1, local_offset_s=3600))
    cut = data[: len(data) // 2]
    layout = check_layout(cut)
    assert _blocks(layout)  # records before the cut came in bulk
    mine, mine_end = decoder.trace(fast.messages, layout, FULL)
    theirs, their_end = decoder.trace(public.messages, layout, FULL)
    assert mine == theirs and mine_end == their_end and "ends inside" in mine_end
    result = read_fit(cut, "cut.fit")  # (the fast walk stopped: the public one decides)
    assert [p.code for p in result.problems if p.code == "fit.damaged"] == ["fit.damaged"]
    assert result.sessions and len(result.sessions[0].hr_bpm) > 800


def test_a_reader_that_takes_no_blocks_gets_single_records(shared_fit_dir: Path) -> None:
    name = "python-fitparse__garmin-fenix-5-run.fit"
    layout = check_layout((shared_fit_dir / name).read_bytes())
    single = FULL - {RECORDS}
    out: list[Message] = []
    decoder._walk(fast.messages, layout.data, single, {"*": lambda _, m: out.append(m)}, None)
    names = {m.name for m in out}
    assert RECORD in names and RECORDS not in names
