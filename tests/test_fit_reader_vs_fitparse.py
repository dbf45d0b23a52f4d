"""The fast decoder (fitparse driven through a subclass, see runload/fit/fast.py) must read
the same values as plain fitparse does, on the real activity files: every record's
timestamp, heart rate, position and distance, and every session.

Plain fitparse is slow (~4 s per MB on a busy 2-core machine), so the comparison covers
the files up to ``MAX_BYTES``; the test checks that this subset still holds every FIT
feature the lean path treats specially (compressed timestamp headers, developer
fields, big-endian messages, several sessions, records with compressed
speed/distance), so a smaller set cannot quietly lose coverage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runload.fit import activity, decoder, fast, public
from runload.fit.activity import FIT_EPOCH_UNIX, read_fit
from runload.fit.layout import check_layout

MAX_BYTES = 50_000
FEATURES = ("compressed timestamps", "developer fields", "big-endian", "several sessions",
            "compressed speed/distance")  # fmt: skip


def _plain(path: Path) -> tuple[list[Any], set[str]] | None:
    """(every data message, the features seen), read by plain fitparse with values kept raw
    as the lean reader keeps them; None when plain fitparse cannot read the file to its
    end (then there is no reference)."""
    import fitparse

    try:
        fit = fitparse.FitFile(str(path), check_crc=False, data_processor=fast._null_processor())
        messages = list(fit.get_messages(with_definitions=True))
    except Exception:
        return None
    features: set[str] = set()
    data = []
    for m in messages:
        if m.type == "definition":
            if m.dev_field_defs:
                features.add("developer fields")
            if m.endian == ">":
                features.add("big-endian")
            if m.mesg_num == 20 and any(fd.def_num == 8 for fd in m.field_defs):
                features.add("compressed speed/distance")
            continue
        if m.header.time_offset is not None:
            features.add("compressed timestamps")
        data.append(m)
    if sum(m.name == "session" for m in data) > 1:
        features.add("several sessions")
    return data, features


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6


def _native(m: Any, num: int, units: str) -> dict[str, Any]:
    """A message's native fields, the one numbered ``num`` taken from a developer field that
    declares it stands for it (``native_field_num``), in ``units``, where the native value
    is absent or 0 and the developer one is not (issue 19: as Runalyze reads them)."""
    from fitparse.records import DevFieldDefinition

    v: dict[str, Any] = {}
    stand_in = None
    for f in m.fields:
        if not isinstance(f.field_def, DevFieldDefinition):
            v[f.name] = f.value
        elif f.field_def.field.native_field_num == num and f.field_def.field.units == units:
            stand_in = stand_in if stand_in is not None else f.value
    name = {5: "distance", 9: "total_distance"}[num]
    if stand_in and not v.get(name):
        v[name] = stand_in
    return v


def _records(messages: list[Any]) -> list[tuple[Any, ...]]:
    """(time, heart rate, has position, distance) of every record with a wall-clock time,
    as the reader's record handler keeps them."""
    out = []
    for m in messages:
        if m.name != "record":
            continue  # developer fields may reuse a name ("distance"): the profile's count
        v = _native(m, 5, "m")
        t = v.get("timestamp")
        if isinstance(t, int) and t >= 0x10000000:
            hr, dist = v.get("heart_rate"), v.get("distance")
            out.append((t, hr if isinstance(hr, int | float) else None,
                        v.get("position_lat") is not None,
                        dist if isinstance(dist, int | float) else None))  # fmt: skip
    return out


def _compare_sessions(path: Path, plain: list[Any]) -> int:
    # native fields, but for a developer field that declares it stands for the session's
    # total distance where the session has 0 (Runalyze__swim-via-iq.fit has one)
    theirs_all = [_native(m, 9, "m") for m in plain if m.name == "session"]
    ours = read_fit(path.read_bytes(), path.name).sessions
    assert len(ours) == len(theirs_all), path.name
    for mine, theirs in zip(ours, theirs_all, strict=True):
        assert mine.sport == (str(theirs.get("sport")) if theirs.get("sport") else None), path
        assert _close(mine.moving_s, theirs.get("total_timer_time")), path.name
        assert _close(mine.elapsed_s, theirs.get("total_elapsed_time")), path.name
        if theirs.get("total_distance") is not None:
            assert _close(mine.distance_m, theirs["total_distance"]), path.name
        if theirs.get("avg_heart_rate") is not None:
            assert _close(mine.avg_hr, theirs["avg_heart_rate"]), path.name
        start = theirs.get("start_time")  # raw FIT seconds (the epoch is tested elsewhere)
        if isinstance(start, int) and start >= 0x10000000:
            assert mine.start_unix == start + FIT_EPOCH_UNIX, path.name
    return len(ours)


def test_lean_reader_matches_plain_fitparse(shared_fit_dir: Path) -> None:
    sessions = records = 0
    features: set[str] = set()
    for path in sorted(shared_fit_dir.glob("*")):
        if path.suffix.lower() != ".fit" or path.stat().st_size > MAX_BYTES:
            continue
        raw = _plain(path)
        if raw is None:
            continue
        messages, seen = raw
        layout = check_layout(path.read_bytes())
        state = activity._State()
        stop = decoder._walk(fast.messages, layout.data, activity.FULL, activity.HANDLERS, state)
        assert stop is None, (path.name, stop)
        ours = list(zip(state.rec_t, state.rec_hr, state.rec_pos, state.rec_dist, strict=True))
        assert ours == _records(messages), path.name
        # and message for message as fitparse's public API reads them
        full = activity.FULL | {"lap", "event"}
        assert decoder.trace(fast.messages, layout, full) == decoder.trace(
            public.messages, layout, full
        ), path.name
        records += len(ours)
        if any(m.name == "session" for m in messages):  # (else built from the records)
            sessions += _compare_sessions(path, messages)
        features |= seen
    assert sessions >= 30 and records >= 10_000, (sessions, records)
    assert sorted(set(FEATURES) - features) == [], "the compared files lack these features"
