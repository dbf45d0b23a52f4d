"""cache: entries round-trip, atomic writes, damage is a miss, the folder is overridable."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from pathlib import Path

import polars as pl
import pytest

from runload.cache import (
    DigestIndex,
    Entry,
    ParseCache,
    Rows,
    content_hash,
    default_cache_dir,
    joined,
    seal,
)
from runload.fit import FAST, PARSER_VERSION, PUBLIC, fitparse_tag
from runload.readers import cache_key


def _entry() -> Entry:
    frame = pl.DataFrame({"session": [0], "hr_t": [[0.0, 1.0]]})
    problems = [{"severity": "warning", "message": "bad CRC", "line": None, "offset": 12}]
    return Entry(frame, problems, [("hr_max", 190.0), ("sex", "male")], "activity")


def test_round_trip_keeps_frame_problems_and_facts(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path)
    key = cache_key(content_hash(b"abc"), FAST)
    assert cache.load(key) is None
    cache.store(key, _entry())
    got = cache.load(key)
    assert got is not None
    assert got.sessions.equals(_entry().sessions)
    assert got.facts == [("hr_max", 190.0), ("sex", "male")] and got.kind == "activity"
    (p,) = got.problems_for("a/b.fit")
    assert (p.path, p.severity, p.message, p.offset) == ("a/b.fit", "warning", "bad CRC", 12)
    assert [f.name for f in cache.path_for(key).parent.iterdir()] == [f"{key}.parquet"]


def test_key_has_content_hash_parser_fitparse_and_decoder() -> None:
    key = cache_key(content_hash(b"abc"), FAST)
    assert key.startswith(content_hash(b"abc")) and f"p{PARSER_VERSION}" in key
    assert fitparse_tag() in key and fitparse_tag().startswith("fitparse1.")
    assert cache_key(content_hash(b"abc"), PUBLIC) != key  # never mixed
    assert content_hash(b"abc") != content_hash(b"abd")


@pytest.mark.parametrize("damage", [b"", b"PAR1 garbage", None])
def test_damaged_entry_is_a_miss_and_removed(tmp_path: Path, damage: bytes | None) -> None:
    cache = ParseCache(tmp_path)
    key = cache_key(content_hash(b"x"), FAST)
    cache.store(key, _entry())
    path = cache.path_for(key)
    if damage is None:  # a valid Parquet file without our metadata
        pl.DataFrame({"a": [1]}).write_parquet(path)
    else:
        path.write_bytes(damage)
    assert cache.load(key) is None
    assert not path.exists()


def test_default_folder_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNLOAD_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("RUNLOAD_CACHE_DIR")
    assert "runload" in str(default_cache_dir())


def test_load_many_skips_damaged_and_missing(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path)
    keys = [cache_key(content_hash(bytes([i])), FAST) for i in range(4)]
    for key in keys[:3]:
        cache.store(key, _entry())
    cache.path_for(keys[1]).write_bytes(b"PAR1" + b"\0" * 40 + b"PAR1")
    got = cache.load_many(keys)
    assert sorted(got) == sorted([keys[0], keys[2]])
    assert got[keys[0]].sessions.equals(_entry().sessions)
    assert not cache.path_for(keys[1]).exists()


OLD = 1_600_000_000 * 10**9  # a stamp time long past (ns)


def test_digest_index_needs_the_same_stamp(tmp_path: Path) -> None:
    index = DigestIndex(tmp_path / "digests.json")
    index.put("a.fit", (10, OLD, OLD, 7), "abc")
    index.save()
    again = DigestIndex(tmp_path / "digests.json")
    assert again.get("a.fit", (10, OLD, OLD, 7)) == "abc"
    for other in [
        (11, OLD, OLD, 7),
        (10, OLD + 1, OLD, 7),
        (10, OLD, OLD + 1, 7),
        (10, OLD, OLD, 8),
    ]:
        assert again.get("a.fit", other) is None, other
    (tmp_path / "digests.json").write_text("{broken")
    assert DigestIndex(tmp_path / "digests.json").get("a.fit", (10, OLD, OLD, 7)) is None


def test_digest_index_never_records_a_file_changed_just_now(tmp_path: Path) -> None:
    f = tmp_path / "a.fit"
    f.write_bytes(b"x")
    st = f.stat()
    stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    index = DigestIndex(tmp_path / "digests.json")
    index.put("a.fit", stamp, "abc")
    assert index.get("a.fit", stamp) is None  # too fresh to trust the stamp
    index.put("a.fit", (1, OLD, OLD, st.st_ino), "abc")
    index.put("a.fit", stamp, "abd")  # rewritten just now: the old record goes too
    assert index.get("a.fit", (1, OLD, OLD, st.st_ino)) is None


def test_a_snapshot_removed_by_another_run_meanwhile_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two runs on one folder: the other one removed an old snapshot between this run's
    # listing of the folder and its look at each file's date (FileNotFoundError before)
    cache = ParseCache(tmp_path)
    entries = [_entry(), _entry()]
    for i in range(9):
        cache.store_season([f"a{i}", f"b{i}"], entries)
    listed = Path.glob

    def glob(self: Path, pattern: str):
        yield from listed(self, pattern)
        yield self / "removed-by-the-other-run.parquet"

    monkeypatch.setattr(Path, "glob", glob)
    cache.store_season(["a9", "b9"], entries)
    assert len(list(listed(tmp_path / "season", "*.parquet"))) == 8
    got = cache.load_season(["a9", "b9"])
    assert got is not None and got["a9"].facts == _entry().facts


def test_an_index_with_a_flipped_digit_is_started_afresh(tmp_path: Path) -> None:
    index = DigestIndex(tmp_path / "digests.json")
    index.put("a.fit", (10, OLD, OLD, 7), "abc")
    index.save()
    text = (tmp_path / "digests.json").read_text()
    (tmp_path / "digests.json").write_text(text.replace('"abc"', '"abd"'))
    assert DigestIndex(tmp_path / "digests.json").get("a.fit", (10, OLD, OLD, 7)) is None


def _rows_of(frame: pl.DataFrame, cuts: list[int]) -> list[Rows]:
    """``frame`` cut into ``Rows`` entries at ``cuts`` (as ``load_many`` reads a batch)."""
    bounds = [0, *cuts, frame.height]
    return [Rows(frame, a, b - a, [], [], "activity") for a, b in itertools.pairwise(bounds)]


def test_rows_of_one_frame_joined_again_are_that_frame_not_a_copy() -> None:
    frame = pl.DataFrame({"session": list(range(7)), "x": [float(i) for i in range(7)]})
    entries = _rows_of(frame, [2, 2, 5])  # (an entry of no rows among them)
    assert [e.sessions.height for e in entries] == [e.rows for e in entries] == [2, 0, 3, 2]
    assert joined(entries, "diagonal") is frame  # the snapshot itself: no slice, no concat
    assert joined(entries[1:3], "vertical").equals(frame.slice(2, 3))


def test_joined_equals_the_concatenation_of_the_sessions_in_any_order_and_mix() -> None:
    one = pl.DataFrame({"session": list(range(6)), "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    two = pl.DataFrame({"session": [9, 8], "x": [7.0, 8.0], "y": ["a", "b"]})
    a, b, c = _rows_of(one, [2, 4])
    d, e = _rows_of(two, [1])
    plain = Entry(pl.DataFrame({"session": [5], "x": [0.5]}))
    for entries in ([c, b, a], [a, c, b], [a, b, plain, c], [d, a, e, b], [a, d, e, b, c], [b]):
        expected = pl.concat([x.sessions for x in entries], how="diagonal")
        assert joined(entries, "diagonal").equals(expected)
    # a copy of the frame is not the frame: its rows are concatenated, not taken as one
    copy = _rows_of(one.clone(), [2])
    assert joined([a, copy[1]], "diagonal").equals(pl.concat([a.sessions, copy[1].sessions]))


def test_a_season_snapshot_reads_back_as_rows_of_one_frame(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path)
    first = Entry(pl.DataFrame({"session": [0, 1], "x": [1.0, 2.0]}), [], [], "activity")
    empty = Entry(pl.DataFrame(schema={"session": pl.Int64, "x": pl.Float64}), [], [], "x")
    last = Entry(pl.DataFrame({"session": [0], "x": [3.0]}), [], [("sex", "male")], "activity")
    cache.store_season(["k1", "k2", "k3"], [first, empty, last])
    got = cache.load_season(["k1", "k2", "k3"])
    assert got is not None
    assert [got[k].sessions.height for k in ("k1", "k2", "k3")] == [2, 0, 1]
    assert got["k3"].facts == [("sex", "male")] and got["k2"].kind == "x"
    whole = joined([got[k] for k in ("k1", "k2", "k3")], "diagonal")
    assert whole.equals(pl.concat([first.sessions, empty.sessions, last.sessions]))
    assert cache.load_season(["k1", "k3", "k2"]) is None  # another list: another snapshot


def test_a_snapshot_keeps_each_distinct_meta_once_and_reads_each_entrys_back(
    tmp_path: Path,
) -> None:
    """A decade's files mostly share their facts and have no problem: the snapshot's
    metadata says each such (problems, kind, facts) once, and every entry still reads
    back its own."""
    cache = ParseCache(tmp_path)
    facts = [("sex", "male"), ("hr_max", 190.0)]
    odd = [{"file": "x.fit", "severity": "warning", "message": "odd", "code": "x"}]
    entries = [
        Entry(
            pl.DataFrame({"session": [0], "x": [float(i)]}),
            odd if i == 7 else [],
            facts,
            "activity",
        )
        for i in range(300)
    ]
    keys = [f"k{i}" for i in range(300)]
    cache.store_season(keys, entries)
    (path,) = (tmp_path / "season").glob("*.parquet")
    meta = pl.read_parquet_metadata(path)["runload"]
    assert len(meta) < 3_000  # the keys and 300 metas written out would be ten times that
    got = cache.load_season(keys)
    assert got is not None
    assert [got[k].problems for k in keys] == [e.problems for e in entries]
    assert all(got[k].facts == facts and got[k].kind == "activity" for k in keys)


def test_a_snapshot_of_the_older_layout_is_a_miss_and_removed(tmp_path: Path) -> None:
    """Snapshots written before the compact metadata (the whole list of keys and one meta
    per entry) are not read: the per-file entries serve, and the next run writes anew."""
    cache = ParseCache(tmp_path)
    keys = ["k1", "k2"]
    cache.store_season(keys, [_entry(), _entry()])
    (path,) = (tmp_path / "season").glob("*.parquet")
    old = {"keys": keys, "entries": [{"rows": 1, "problems": [], "kind": None, "facts": []}] * 2}
    frame = pl.read_parquet(path)
    buf = io.BytesIO()
    frame.write_parquet(buf, metadata={"runload": json.dumps(old), "runload_sum": "0" * 40})
    path.write_bytes(seal(buf.getvalue()))
    assert cache.load_season(keys) is None
    assert not path.exists()


def test_an_index_reads_its_records_checked_as_written_by_every_release(tmp_path: Path) -> None:
    """The index's records are checked against their sum as read (not encoded again); the
    file is still the sealed JSON the earlier writer wrote, so either reads the other's."""
    known = {
        "/runs/a\u00e9.fit\x00member.fit": [10, OLD, OLD, 7, "abc"],
        "/b.fit": [1, 2, 3, 4, "d"],
    }
    body = json.dumps(known, sort_keys=True)
    digest = hashlib.blake2b(body.encode(), digest_size=20).hexdigest()
    earlier = json.dumps({"sum": digest, "known": known}, sort_keys=True).encode()
    (tmp_path / "digests.json").write_bytes(earlier)
    index = DigestIndex(tmp_path / "digests.json")
    assert index.get("/b.fit", (1, 2, 3, 4)) == "d"
    index.put("/b.fit", (1, 2, 3, 4), "d")  # (rewritten: the same records)
    index.save()
    assert (tmp_path / "digests.json").read_bytes() == earlier
    (tmp_path / "digests.json").write_bytes(earlier.replace(b'"d"', b'"e"'))
    assert DigestIndex(tmp_path / "digests.json").get("/b.fit", (1, 2, 3, 4)) is None
