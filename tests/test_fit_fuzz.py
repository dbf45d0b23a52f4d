"""Issue 19: a mutation fuzzer over the real FIT fixtures (bit flips, truncations, splices
of two files, chained files, repeated and redefined definitions, duplicated, dropped and
swapped messages, overwritten fields) through the public reading of bytes: 0 tracebacks,
0 hangs, every file accounted for, and where the fast decoder reads a case to its end, it
reads it message for message as the public one does (``tools.fitfuzz``; the long run is
``benchmarks/fuzz.py``).

Seeded: a failure names its seed and saves its bytes, and ``tools.fitfuzz.case(corpus,
seed)`` makes the same file again. ``RUNLOAD_FUZZ_SEED`` moves the seeds (default 0), to
explore other cases with the same test. Every decoder exception a case ever found is
fixed in the decoder with a regression test of its own in this file (the minimized
input, as bytes)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from runload.ingest import read_activities
from tools import fitfuzz

CASES = 1200  # about a minute on a 2-core machine shared with other work
BATCH = 120  # through read_activities on a folder
DIFFERENTIAL = 4  # every 4th case is also read by both decoders, message by message
PER_FILE_S = 30.0  # a case slower than this is a hang (the slowest real file reads in ~1 s)
BASE = int(os.environ.get("RUNLOAD_FUZZ_SEED", "0"))


@pytest.fixture(scope="module")
def corpus(shared_fit_dir: Path) -> list[tuple[str, bytes]]:
    return fitfuzz.load_corpus(shared_fit_dir, max_bytes=16_000, budget=8_000)


def _report(c: fitfuzz.Case, why: str, saved: Path) -> str:
    small = base64.b64encode(c.data).decode() if len(c.data) <= 2048 else "(see the file)"
    return f"{c.describe()}: {why}; bytes in {saved}; base64 {small}"


@pytest.mark.slow
def test_mutated_real_files_never_raise_hang_or_go_unaccounted(
    corpus: list[tuple[str, bytes]], tmp_path: Path
) -> None:
    failures = []
    kinds: set[str] = set()
    with fitfuzz.Watchdog(PER_FILE_S, tmp_path / "hangs") as dog:
        for c in fitfuzz.cases(corpus, range(BASE, BASE + CASES)):
            kinds.add(c.mutation)
            with dog.case(c):
                outcome = fitfuzz.run_case(c)
                why = fitfuzz.check(c, *outcome)
                if why is None and c.seed % DIFFERENTIAL == 0:
                    why = fitfuzz.differ(c)  # the fast decoder reads it as the public one
            if why is not None:
                failures.append(_report(c, why, fitfuzz.save(c, tmp_path / "failed")))
    assert failures == []
    assert kinds == set(fitfuzz.MUTATIONS)  # every kind of mutation was tried


@pytest.mark.slow
def test_a_folder_of_mutated_files_is_accounted_for_file_by_file(
    corpus: list[tuple[str, bytes]], tmp_path: Path
) -> None:
    folder = tmp_path / "mutated"
    folder.mkdir()
    for c in fitfuzz.cases(corpus, range(BASE + 10**6, BASE + 10**6 + BATCH)):
        (folder / c.name).write_bytes(c.data)
    cache = tmp_path / "cache"
    cold = read_activities([folder], jobs=1, cache_dir=cache)
    rows = set(cold.activities.get_column("file").to_list())
    said = {p.path for p in cold.problems}
    merged = {d.file for d in cold.duplicates}
    files = {str(p) for p in folder.iterdir()}
    assert cold.files_seen == BATCH
    assert sorted(files - rows - said - merged - set(cold.monitoring)) == []
    assert not [p for p in cold.problems if "parser failed" in p.message]
    warm = read_activities([folder], jobs=1, cache_dir=cache)  # the same through the cache
    assert warm.parsed == 0 and warm.activities.equals(cold.activities)
    assert warm.problems == cold.problems and warm.duplicates == cold.duplicates


def test_the_same_seed_makes_the_same_file(corpus: list[tuple[str, bytes]]) -> None:
    assert fitfuzz.case(corpus, 12345) == fitfuzz.case(corpus, 12345)
    assert fitfuzz.case(corpus, 12345).data != fitfuzz.case(corpus, 12346).data


def test_a_hang_fails_with_its_seed_and_bytes(tmp_path: Path) -> None:
    import time

    c = fitfuzz.Case(7, "flip", ("a.fit",), b"stuck")
    deadline = time.monotonic() + 60
    hang = pytest.raises(fitfuzz.Hang, match=r"seed 7 \(flip of a.fit\) ran past 0.5 s")
    with fitfuzz.Watchdog(0.5, tmp_path) as dog, hang, dog.case(c):
        while time.monotonic() < deadline:  # a decoder looping for ever
            pass
    assert time.monotonic() < deadline
    assert (tmp_path / "fuzz-7.fit").read_bytes() == b"stuck"


def test_a_handler_bug_is_never_reported_as_the_files_damage(tmp_path: Path) -> None:
    # a handler's exception was caught with the decoder's and said "damaged at byte N"
    # of a sound file: the fuzz could not see it. It is runload's bug: it propagates, and
    # ingest's worker reports it as "parser failed", which the fuzz fails on.
    import datetime as dt

    from runload.fit import activity, decoder, read_fit
    from runload.fit.layout import check_layout
    from tools.fitgen import activity_bytes, run

    data = activity_bytes(run(dt.datetime(2026, 3, 1, tzinfo=dt.UTC), 5, 1.0))
    assert read_fit(data, "sound.fit").problems == []

    def broken(state: object, message: object) -> None:
        raise ZeroDivisionError("a handler bug")

    handlers = {**activity.HANDLERS, "session": broken}
    with pytest.raises(ZeroDivisionError):
        decoder.decode(check_layout(data), activity.FULL, handlers, activity._State)


# Seed 3003928 (a chain of GoldenCheetah's Fr955v19.28andStryd-saved.fit and HRV-Data.fit,
# flipped), minimized to 9 messages: a developer field description whose field_name is
# read as 64 numbers (its base type flipped from string to enum), then a record with that
# field. fitparse's public path raised TypeError building a hook name from the tuple
# ("damaged at byte 944"), where the fast decoder read on: the two disagreed.
DEV_NAME_NOT_TEXT = base64.b64decode(
    "DBBsAFcCAAAuRklURAAAzwAFABANARANBASGAgKEAwECBP////////////////////8AAAAAAAAAAAAAAAAAAAAA"
    "////////AEQAAM4ACgNABQgQBw0ChA4ChAABAgEBAgIBAgYBAgcBAQ8BAgRGb3JtIFBvd2VyAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAV2F0dHMAAAAAAAAAAAAAAP//FAAACIT/"
    "f/8ETGVnIFNwcmluZyBTdGlmZm5lc3MAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AEtOL20AAAAAAAAAAAAAAAD//xQAAAmI/3//BFNwZWVkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABNL1MAAAAAAAAAAAAAAAAA//8UAAAFiP9//wREaXN0YW5jZQAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAATWV0ZXJzAAAAAAAAAAAA"
    "AP//FAAABob/f/9kAAAUABT9BIYABIUBBIUfAQIFBIYCAoQGAoQNAQEHAoQeAQIdBIYEAQI1AQIDAQInAoQoAoQp"
    "AoRTAoRUAoRVAoQECAIACQQABQQABgQABOXAHTMtqYsbj5V5+f+/kgwAzAtuCAjWAP//////mP+NAAD//wAA////"
    "////AAAAAAAAAAAAAAAAAACZAQ=="
)


def test_a_developer_field_whose_name_is_not_text_reads_alike_in_both_decoders() -> None:
    from runload.fit import read_fit

    c = fitfuzz.Case(3003928, "minimized", ("fuzz",), DEV_NAME_NOT_TEXT)
    assert fitfuzz.differ(c) is None
    assert not [p for p in read_fit(DEV_NAME_NOT_TEXT, "x.fit").problems if "damaged" in p.message]


# Seed 4004634 (havoc of python-fitparse's garmin-fenix-5-walk.fit and
# sample-activity-indoor-trainer.fit), minimized to 2 messages: a device_settings
# definition with a field of size 0, and one data message. fitparse's public path raised
# "Invalid struct format: <0B" (damage at that message) where the fast decoder, reading
# only the timestamp of such a message, skipped 0 bytes and read on: two results.
FIELD_OF_SIZE_0 = base64.b64decode(
    "DhDuBzIBAAAuRklUshtGAAACAEMBBIYCBIZaBIYIAoQxAoQ6AoQ7AoQAAQIDAQAEAQAFAQEJAQAKAQALAQAMAQAN"
    "AQIOAQIPAQIWAQAaAQAcAQAiAQAjAQAkAQAmAQApAQAqAQArAQAsAQAtAQAuAQAwAQA0AQA1AQA2AQA4AQA/CwBA"
    "AQBBAQBCAQBDAQBEAQBFAQBLAQBQAQBRAQBSAQBTAQBUAQBVAQBXAQBeAAJhAQplAQBoCgBrAQBsAQBtAQBuAQBv"
    "AQBwAQB8AQJ9AQJ+AQB/AQCAAQCFAQAGAAAAAJCd//8BAAAA/////2QADwAAAgEA/wADAwgUMgD+//8BAQEBAQAA"
    "AQEAAP//AQEAAAAAAAABAAEAAQECAgICAAEBAQAAAQH/AwIIBwIBBgMEAP//AQEBAQEBFAgBAQCrAw=="
)


def test_a_field_of_size_0_is_the_same_damage_in_both_decoders() -> None:
    from runload.fit import read_fit

    c = fitfuzz.Case(4004634, "minimized", ("fuzz",), FIELD_OF_SIZE_0)
    assert fitfuzz.differ(c) is None
    said = [p.message for p in read_fit(FIELD_OF_SIZE_0, "x.fit").problems]
    assert (
        "damaged at byte 14 (a message definition of local type 6 cannot be decoded);"
        " kept what was read before it" in said
    )


def _dev_field_of_5_bytes() -> bytes:
    """Runalyze's swim-pool-via-iq layout (``fitgen.swim_via_iq_bytes``) with the records'
    float32 Connect IQ distance declared as 5 bytes (one more in every record)."""
    import datetime as dt

    from tools.fitgen import swim_via_iq_bytes

    data = swim_via_iq_bytes(dt.datetime(2026, 3, 1, tzinfo=dt.UTC), minutes=2)
    header, msgs = fitfuzz.walk(data)
    out = bytearray(data[:header])
    stretched = None
    for m in msgs:
        part = bytearray(data[m.offset : m.offset + m.size])
        if m.definition and m.global_num == 20 and part[0] & 0x20:
            part[-2] = 5  # (its one developer field: number, size, developer index)
            stretched = m.local
        elif not m.definition and m.local == stretched and m.global_num == 20:
            part.append(0)
        elif m.definition and m.local == stretched:
            stretched = None
        out += part
    return fitfuzz.fix_up(out, header)


def test_a_developer_field_out_of_step_with_its_base_type_is_damage_in_both_decoders() -> None:
    # fitparse read the float32, then the fifth byte as the next message's header: out of
    # step with the file, both decoders read on through garbage (damage at byte 329) and a
    # session was built from those records. Now both stop at the records' definition.
    from runload.fit import read_fit

    data = _dev_field_of_5_bytes()
    assert fitfuzz.differ(fitfuzz.Case(0, "made", ("fitgen",), data)) is None
    result = read_fit(data, "x.fit")
    assert result.sessions == []
    assert [p.message for p in result.problems] == [
        "damaged at byte 211 (a message definition of local type 0 cannot be decoded); kept"
        " what was read before it",
        "no activity could be read before the damage",
    ]


# Seed 5005409 (a flip of choochoo's monitoring file andrew@acooke.org_25505915679.fit; its
# file_id became a course_point), minimized to a definition and one data message: a
# course_point's "timestamp" is its field 1, which the public decoder gave and the fast one
# (picking field 253 by number) did not. Both pick the timestamp by name now.
TIMESTAMP_NOT_FIELD_253 = base64.b64decode(
    "DhBCBi0AAAAuRklUKLpAAAAgAAcDBIwEBIYBAoQCAoQFAoQGAoQAAQgAMpCN7HQMHDYBAMcJBADv/yDPjQ=="
)


def test_a_timestamp_that_is_not_field_253_reads_alike_in_both_decoders() -> None:
    from runload.fit import activity, decoder, fast
    from runload.fit.layout import check_layout

    c = fitfuzz.Case(5005409, "minimized", ("fuzz",), TIMESTAMP_NOT_FIELD_253)
    assert fitfuzz.differ(c) is None
    (point,), end = decoder.trace(fast.messages, check_layout(c.data), activity.FULL)
    assert (point.name, point.values, end) == ("course_point", {"timestamp": 1}, "end")
