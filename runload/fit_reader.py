"""Decoding ONE FIT file's bytes into session rows, HR samples, athlete facts and problems.

fitparse does the decoding, but driven for speed, because plain fitparse is the
bottleneck of a season. Measured on the benchmark's one-hour 1 Hz runs (87 kB each,
2-core machine, busy): the plain loop (``FitFile(f)``, every message's
``get_values()``) takes 1.03 s per file; without its CRC check and with a do-nothing
data processor 0.30 s; this module's ``read_fit`` 0.054 s, 19x faster than plain. On
the 108 real files of ../shared/fixtures/fit, 14 MB, it goes from 22.6 s to 11.6 s in one
process. Where the time goes, and what is done instead:

* fitparse's data processor tries three method look-ups per field, each failing with
  an exception: ``raw_processor`` does nothing (values stay raw FIT seconds, scaled
  numbers and enum names, which is all runload needs).
* fitparse reads every field with its own ``struct`` call and builds a ``FieldData``
  per field and a ``MessageHeader`` per message: ``_lean_fit_class`` subclasses
  ``FitFile`` and overrides two private methods (``_parse_message_header``,
  ``_parse_data_message``), so a message no handler wants is read as one block of
  bytes and a record unpacks only its four fields in one call. This relies on
  fitparse 1.2's private API (``_PRIVATE_API``; pin ``fitparse>=1.2,<1.3``): when a
  method is missing, plain ``FitFile`` is used (slower, still right), and
  tests/test_fit_reader_vs_fitparse.py checks record by record that both read the
  same values on the real files.
* fitparse's CRC check runs per read, four bits at a time (36 ms per file above);
  ``fit_crc`` is a table-driven CRC-16 over the whole file (8 ms), so a bad CRC is
  still reported, as a warning, with the data kept.

Nothing here raises on bad input: every failure becomes a ``Problem``.
The result is plain Python data (picklable, no fitparse objects), so worker
processes can return it cheaply and the cache can store it.
"""

from __future__ import annotations

import bisect
import io
import itertools
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from runload.errors import Problem, Severity

# Bump when the meaning of a parsed result changes: it is part of the cache key.
PARSER_VERSION = "2"

FIT_EPOCH_UNIX = 631065600  # 1989-12-31T00:00:00Z as Unix seconds
_MIN_ABS_TIME = 0x10000000  # FIT date_time values below this are relative, not wall time
MAX_OFFSET_S = 14 * 3600

RUNNING = "running"


@dataclass
class SessionData:
    """One session (or the session built from the records of a file without one)."""

    index: int
    sport: str | None
    sub_sport: str | None
    start_unix: int | None  # UTC, Unix seconds
    moving_s: float | None
    elapsed_s: float | None
    distance_m: float | None
    avg_hr: float | None
    max_hr: float | None
    ascent_m: float | None
    has_gps: bool
    hr_t: list[float] = field(default_factory=list)  # seconds from start
    hr_bpm: list[float] = field(default_factory=list)
    from_records: bool = False


@dataclass
class FitResult:
    """Everything runload keeps from one FIT file."""

    path: str
    kind: str | None = None  # file_id.type: "activity", "monitoring_b", "settings", ...
    sessions: list[SessionData] = field(default_factory=list)
    utc_offset_s: int | None = None  # from the activity message, when plausible
    device: str | None = None
    facts: list[tuple[str, str | float]] = field(default_factory=list)  # (name, value)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, severity: Severity, message: str, offset: int | None = None) -> None:
        self.problems.append(Problem(self.path, severity, message, offset=offset))


# --------------------------------------------------------------------------- CRC


def _crc_table() -> tuple[int, ...]:
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
        table.append(c)
    return tuple(table)


_CRC_TABLE = _crc_table()


def fit_crc(data: bytes | memoryview, crc: int = 0) -> int:
    """The FIT CRC-16 (the same value as fitparse's ``Crc.calculate``, one table lookup
    per byte instead of two nibble steps)."""
    table = _CRC_TABLE
    for b in data:
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    return crc


# ------------------------------------------------------------------ header checks


@dataclass
class _Layout:
    """Where the FIT segments of a file start and end (files may be chained)."""

    data: bytes  # possibly repaired bytes to feed fitparse
    warnings: list[tuple[str, int | None]]


def _check_layout(data: bytes) -> tuple[_Layout | None, str | None]:
    """Check header(s), sizes and CRCs. Returns (layout, None) or (None, error message)."""
    if not data:
        return None, "empty file"
    if len(data) < 12 or data[8:12] != b".FIT":
        return None, "not a FIT file (no .FIT signature)"
    warnings: list[tuple[str, int | None]] = []
    out = bytearray(data)
    pos = 0
    while pos < len(data):
        if len(data) - pos < 12 or data[pos + 8 : pos + 12] != b".FIT":
            if pos == 0:
                return None, "not a FIT file (no .FIT signature)"
            warnings.append(("trailing bytes after the last FIT segment ignored", pos))
            del out[pos:]
            break
        header_size = data[pos]
        if header_size < 12 or (header_size > 12 and header_size < 14):
            if pos == 0:
                return None, f"bad FIT header (header size {header_size})"
            warnings.append((f"bad FIT header (header size {header_size}); rest ignored", pos))
            del out[pos:]
            break
        body = pos + header_size
        if body > len(data):
            message = f"truncated inside the FIT header ({len(data) - pos} of {header_size} bytes)"
            if pos == 0:
                return None, message
            warnings.append((f"{message}; rest ignored", pos))
            del out[pos:]
            break
        (data_size,) = struct.unpack_from("<I", data, pos + 4)
        available = len(data) - body
        if data_size == 0 or data_size > available:
            # Header lies about the size: read what is there (minus a final CRC if any).
            real = max(0, available - 2) if data_size == 0 else available
            if data_size == 0:
                warnings.append(("FIT header gives a data size of 0; reading the whole file", pos))
            else:
                end = body + available
                warnings.append(
                    (
                        f"truncated: header says {data_size} data bytes, {available} present;"
                        f" kept what was read before byte {end}",
                        end,
                    )
                )
                real = available
            struct.pack_into("<I", out, pos + 4, real)
            if header_size >= 14:
                struct.pack_into("<H", out, pos + 12, 0)  # header CRC no longer valid
            data_size = real
            end = body + data_size
            if end + 2 > len(out):
                out.extend(struct.pack("<H", fit_crc(memoryview(out)[pos:end])))
            pos = end + 2
            continue
        end = body + data_size
        if end + 2 <= len(data):
            (crc_read,) = struct.unpack_from("<H", data, end)
            if crc_read != fit_crc(memoryview(data)[pos:end]):
                warnings.append(("bad CRC (file damaged?); data read without the CRC check", end))
        else:
            warnings.append(("file CRC missing at the end of the file", end))
            out.extend(struct.pack("<H", fit_crc(memoryview(out)[pos:end])))
        pos = end + 2
    return _Layout(bytes(out), warnings), None


# --------------------------------------------------------------- message handlers


class _State:
    """Mutable scratch space while walking one file's messages."""

    def __init__(self, result: FitResult) -> None:
        self.result = result
        self.sessions: list[dict[str, Any]] = []
        self.rec_t: list[int] = []
        self.rec_hr: list[int | None] = []
        self.rec_pos: list[bool] = []
        self.rec_dist: list[float | None] = []
        self.activity: dict[str, Any] = {}
        self.sport: dict[str, Any] = {}
        self.device_fields: dict[str, Any] | None = None
        self.file_id: dict[str, Any] = {}
        self.rec_sorted = True


def _values(message: Any) -> dict[str, Any]:
    return {f.name: f.value for f in message.fields}


def _on_file_id(state: _State, message: Any) -> None:
    if not state.file_id:
        state.file_id = _values(message)


def _on_device_info(state: _State, message: Any) -> None:
    if state.device_fields is not None:
        return
    values = _values(message)
    if values.get("device_index") in (0, "creator") and values.get("manufacturer") is not None:
        state.device_fields = values


def _on_session(state: _State, message: Any) -> None:
    state.sessions.append(_values(message))


def _on_record(state: _State, message: Any) -> None:
    t = hr = lat = dist = None
    for f in message.fields:
        name = f.name
        if name == "timestamp":
            t = f.value
        elif name == "heart_rate":
            hr = f.value
        elif name == "position_lat":
            lat = f.value
        elif name == "distance":
            dist = f.value
    if isinstance(t, int) and t >= _MIN_ABS_TIME:
        state.rec_t.append(t)
        state.rec_hr.append(hr if isinstance(hr, int | float) else None)
        state.rec_pos.append(lat is not None)
        state.rec_dist.append(dist if isinstance(dist, int | float) else None)


def _on_activity(state: _State, message: Any) -> None:
    if not state.activity:
        state.activity = _values(message)


def _on_sport(state: _State, message: Any) -> None:
    if not state.sport:
        state.sport = _values(message)


def _on_user_profile(state: _State, message: Any) -> None:
    values = _values(message)
    gender = values.get("gender")
    if isinstance(gender, str):
        state.result.facts.append(("sex", gender))
    rest = values.get("resting_heart_rate")
    if isinstance(rest, int | float) and 20 <= rest <= 120:
        state.result.facts.append(("hr_rest", float(rest)))


def _on_zones_target(state: _State, message: Any) -> None:
    hr_max = _values(message).get("max_heart_rate")
    if isinstance(hr_max, int | float) and 100 <= hr_max <= 240:
        state.result.facts.append(("hr_max", float(hr_max)))


Handler = Callable[[_State, Any], None]

HANDLERS: dict[str, Handler] = {
    "file_id": _on_file_id,
    "device_info": _on_device_info,
    "session": _on_session,
    "record": _on_record,
    "activity": _on_activity,
    "sport": _on_sport,
    "user_profile": _on_user_profile,
    "zones_target": _on_zones_target,
}


# ------------------------------------------------------------------- fitparse glue

_PROCESSOR: Any = None


def raw_processor() -> Any:
    """A fitparse data processor that does nothing: values stay raw (FIT seconds,
    scaled numbers, enum names). The default one tries three method look-ups per
    field, each failing with an exception, which is most of fitparse's time."""
    global _PROCESSOR
    if _PROCESSOR is None:
        from fitparse.processors import FitFileDataProcessor

        class LeanProcessor(FitFileDataProcessor):
            def run_type_processor(self, field_data: Any) -> None:
                pass

            def run_field_processor(self, field_data: Any) -> None:
                pass

            def run_unit_processor(self, field_data: Any) -> None:
                pass

            def run_message_processor(self, data_message: Any) -> None:
                pass

        _PROCESSOR = LeanProcessor()
    return _PROCESSOR


# Record fields runload reads: position_lat, heart_rate, distance, timestamp.
_RECORD_FIELDS = frozenset((0, 3, 5, 253))
_RECORD = 20
_COMPRESSED_SPEED_DISTANCE = 8
# Messages fitparse must decode in full: ours, and the ones that define developer fields.
_FULL_MESSAGES = frozenset((*HANDLERS, "developer_data_id", "field_description"))
_FIT_CLASS: Any = None


class _Value(NamedTuple):
    """A field value built by the lean path (what the handlers read of a FieldData)."""

    name: str
    value: Any


class _LeanMessage:
    """A data message from the lean path: what the handlers and fitparse's message loop
    read (``name``, ``fields``, ``mesg_type``, ``type``), without fitparse's object cost."""

    __slots__ = ("fields", "mesg_type", "name")
    type = "data"

    def __init__(self, mesg_type: Any, fields: list[_Value]) -> None:
        self.mesg_type = mesg_type
        self.name = mesg_type.name
        self.fields = fields


class _Plan(NamedTuple):
    """How the lean path reads one message definition's data messages."""

    full: bool  # fitparse's own path (ours to handle, or accumulated components)
    size: int  # bytes of one data message
    unpack: Callable[[bytes], tuple[Any, ...]] | None  # the values kept, in field order
    kept: list[tuple[int, Any]]  # (field index, base type) of each value unpacked
    ts_index: int | None  # field index of the timestamp
    wanted: list[tuple[int, Any]]  # (field index, profile field) of the values to build


# fitparse's private methods and attributes the lean class relies on (fitparse 1.2.x);
# when one is missing, plain FitFile is used: slower, still right.
_PRIVATE_API = (
    "_parse_data_message",
    "_parse_raw_values_from_data_message",
    "_apply_scale_offset",
    "_apply_compressed_accumulation",
    "_parse_file_header",
    "_parse_message_header",
    "_read",
)


def _plan_for(def_mesg: Any, timestamp_num: int) -> _Plan:
    mesg_type, defs = def_mesg.mesg_type, def_mesg.field_defs
    all_defs = [*defs, *def_mesg.dev_field_defs]
    size = sum(fd.size for fd in all_defs)
    is_record = def_mesg.mesg_num == _RECORD
    full = (
        mesg_type is None
        or (not is_record and mesg_type.name in _FULL_MESSAGES)
        or (is_record and any(fd.def_num == _COMPRESSED_SPEED_DISTANCE for fd in defs))
    )
    ts_index = next((i for i, fd in enumerate(defs) if fd.def_num == timestamp_num), None)
    wanted = [
        (i, fd.field)
        for i, fd in enumerate(defs)
        if is_record and fd.def_num in _RECORD_FIELDS and fd.field is not None
    ]
    keep = sorted({i for i, _ in wanted} | ({ts_index} if ts_index is not None else set()))
    kept = [(i, defs[i].base_type) for i in keep]
    if any(bt.name == "byte" or defs[i].size != bt.size for i, bt in kept):
        full = True  # an array where one value was expected: let fitparse read it
    fmt = "".join(
        bt.fmt if (bt := dict(kept).get(i)) is not None else f"{fd.size}x"
        for i, fd in enumerate(all_defs)
    )
    unpack = struct.Struct(def_mesg.endian + fmt).unpack if kept else None
    return _Plan(full, size, unpack, kept, ts_index, wanted)


def _lean_fit_class() -> Any:
    """fitparse's ``FitFile``, reading values only where runload looks.

    fitparse reads every field of every message with its own ``struct`` call and turns
    each into a ``FieldData`` object; that is most of its time. Here a data message no
    handler wants is read as one block of bytes (only its timestamp is unpacked, for the
    compressed timestamps that follow), and a record message unpacks only the four
    fields above in one ``struct`` call (as light ``_Value`` pairs, scaled by fitparse's
    profile). Messages runload handles, and records with accumulated components
    (compressed speed/distance), take fitparse's full path.
    """
    global _FIT_CLASS
    if _FIT_CLASS is not None:
        return _FIT_CLASS
    from fitparse import FitFile
    from fitparse.profile import FIELD_TYPE_TIMESTAMP
    from fitparse.records import MessageHeader

    if not all(hasattr(FitFile, name) for name in _PRIVATE_API):
        _FIT_CLASS = FitFile
        return _FIT_CLASS
    timestamp_num = FIELD_TYPE_TIMESTAMP.def_num
    # The 256 possible record headers, built once (fitparse builds one per message).
    headers = tuple(
        MessageHeader(
            is_definition=False,
            is_developer_data=False,
            local_mesg_num=(b >> 5) & 0x3,
            time_offset=b & 0x1F,
        )
        if b & 0x80
        else MessageHeader(
            is_definition=bool(b & 0x40),
            is_developer_data=bool(b & 0x20),
            local_mesg_num=b & 0xF,
            time_offset=None,
        )
        for b in range(256)
    )

    class LeanFitFile(FitFile):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._plans: dict[Any, _Plan] = {}
            super().__init__(*args, **kwargs)

        def _parse_message_header(self) -> Any:
            return headers[self._read(1)[0]]

        def _parse_data_message(self, header: Any) -> Any:
            def_mesg = self._local_mesgs.get(header.local_mesg_num)
            if def_mesg is None:
                return super()._parse_data_message(header)
            plan = self._plans.get(def_mesg)
            if plan is None:
                plan = self._plans[def_mesg] = _plan_for(def_mesg, timestamp_num)
            if plan.full:
                return super()._parse_data_message(header)
            data = self._read(plan.size) if plan.size else b""
            raw: dict[int, Any] = {}
            if plan.unpack is not None:
                for (i, base_type), value in zip(plan.kept, plan.unpack(data), strict=True):
                    raw[i] = base_type.parse(value)
            if plan.ts_index is not None and raw[plan.ts_index] is not None:
                self._compressed_ts_accumulator = raw[plan.ts_index]
            scale = self._apply_scale_offset
            fields = [_Value(f.name, scale(f, f.render(raw[i]))) for i, f in plan.wanted]
            if header.time_offset is not None:
                ts = self._apply_compressed_accumulation(
                    header.time_offset, self._compressed_ts_accumulator, 5
                )
                self._compressed_ts_accumulator = ts
                fields.append(_Value("timestamp", ts))
            return _LeanMessage(def_mesg.mesg_type, fields)

    _FIT_CLASS = LeanFitFile
    return _FIT_CLASS


def _walk_messages(data: bytes, state: _State, *, repaired: bool = False) -> None:
    """Feed every data message to its handler; a decoding error ends the walk with a
    warning naming the byte offset, keeping everything read before it. In a file whose
    header was repaired (already warned about), running out in the last two bytes is
    the missing CRC, not news."""
    from fitparse import records as fit_records

    fit_records.DEV_TYPES.clear()  # developer field types are global in fitparse
    buf = io.BytesIO(data)
    pos = 0
    try:
        fit = _lean_fit_class()(buf, check_crc=False, data_processor=raw_processor())
        messages = fit.get_messages()
        handlers = HANDLERS
        count = 0
        while True:
            pos = buf.tell() if not buf.closed else len(data)
            message = next(messages, None)
            if message is None:
                break
            handler = handlers.get(message.name)
            if handler is not None:
                handler(state, message)
            count += 1
            if count & 0x3FF == 0 and isinstance(kept := getattr(fit, "_messages", None), list):
                kept.clear()  # fitparse keeps every message; we do not need them
    except Exception as exc:  # any decoding failure of a damaged file
        if repaired and pos >= len(data) - 2:
            return
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        state.result.problem(
            "warning",
            f"damaged at byte {pos} ({detail}); kept what was read before it",
            offset=pos,
        )


# ------------------------------------------------------------------ building rows


def _unix(fit_seconds: Any) -> int | None:
    if isinstance(fit_seconds, int) and fit_seconds >= _MIN_ABS_TIME:
        return fit_seconds + FIT_EPOCH_UNIX
    return None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _name(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _device_name(state: _State) -> str | None:
    source = state.file_id or state.device_fields or {}
    if state.device_fields and not state.file_id.get("manufacturer"):
        source = state.device_fields
    manufacturer = source.get("manufacturer")
    product = source.get("garmin_product") or source.get("product_name") or source.get("product")
    if manufacturer is None and product is None:
        return None
    if isinstance(manufacturer, str):
        make = manufacturer.replace("_", " ").title()
    else:
        make = f"manufacturer {manufacturer}" if manufacturer is not None else ""
    if isinstance(product, str):
        return f"{make} {product}".strip()
    if product is not None:
        return f"{make} (product {product})".strip()
    return make or None


def _utc_offset(activity: dict[str, Any]) -> int | None:
    local, utc = activity.get("local_timestamp"), activity.get("timestamp")
    if not (isinstance(local, int) and isinstance(utc, int)) or utc < _MIN_ABS_TIME:
        return None
    offset = local - utc
    if abs(offset) > MAX_OFFSET_S:
        return None
    return round(offset / 900) * 900


def _samples(
    state: _State, start: int, end: int
) -> tuple[list[float], list[float], bool, list[float]]:
    times = state.rec_t
    if state.rec_sorted:
        lo, hi = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
        idx: Iterable[int] = range(lo, hi)
    else:  # clock jumps in the records: scan them all
        idx = [i for i, t in enumerate(times) if start <= t <= end]
    hr_t: list[float] = []
    hr_bpm: list[float] = []
    gps = False
    dist: list[float] = []
    for i in idx:
        hr = state.rec_hr[i]
        if hr is not None and hr > 0:
            hr_t.append(float(state.rec_t[i] - start))
            hr_bpm.append(float(hr))
        gps = gps or state.rec_pos[i]
        d = state.rec_dist[i]
        if d is not None:
            dist.append(d)
    return hr_t, hr_bpm, gps, dist


def _session_row(state: _State, index: int, s: dict[str, Any]) -> SessionData:
    end = s.get("timestamp") if isinstance(s.get("timestamp"), int) else None
    start = s.get("start_time")
    elapsed = _num(s.get("total_elapsed_time"))
    if not (isinstance(start, int) and start >= _MIN_ABS_TIME):
        start = state.rec_t[0] if state.rec_t else None
    if start is not None and (end is None or end < start):
        end = start + int(elapsed) if elapsed is not None else (state.rec_t or [start])[-1]
    if start is not None and end is not None:
        hr_t, hr_bpm, gps, dist = _samples(state, start, end)
    else:
        hr_t, hr_bpm, gps, dist = [], [], False, []
    distance = _num(s.get("total_distance"))
    if distance is None and dist:
        distance = max(dist) - min(dist)
    avg_hr = _num(s.get("avg_heart_rate"))
    max_hr = _num(s.get("max_heart_rate"))
    if avg_hr is None and hr_bpm:
        avg_hr = sum(hr_bpm) / len(hr_bpm)
    if max_hr is None and hr_bpm:
        max_hr = max(hr_bpm)
    return SessionData(
        index=index,
        sport=_name(s.get("sport")),
        sub_sport=_name(s.get("sub_sport")),
        start_unix=_unix(start),
        moving_s=_num(s.get("total_timer_time")),
        elapsed_s=elapsed,
        distance_m=distance,
        avg_hr=avg_hr,
        max_hr=max_hr,
        ascent_m=_num(s.get("total_ascent")),
        has_gps=gps or s.get("start_position_lat") is not None,
        hr_t=hr_t,
        hr_bpm=hr_bpm,
    )


MAX_SESSION_S = 48 * 3600


def _session_from_records(state: _State) -> SessionData:
    """One session spanning the records (from the first one, ignoring records that jump
    more than two days away: damaged timestamps)."""
    start = state.rec_t[0]
    end = max((t for t in state.rec_t if start <= t <= start + MAX_SESSION_S), default=start)
    elapsed = float(end - start)
    timer = _num(state.activity.get("total_timer_time"))
    fake = {
        "start_time": start,
        "timestamp": end,
        "total_elapsed_time": elapsed,
        "total_timer_time": timer if timer is not None and 0 < timer <= elapsed else elapsed,
        "sport": state.sport.get("sport"),
        "sub_sport": state.sport.get("sub_sport"),
    }
    row = _session_row(state, 0, fake)
    row.from_records = True
    return row


def _finish(state: _State) -> None:
    result = state.result
    kind = state.file_id.get("type")
    result.kind = _name(kind)
    result.device = _device_name(state)
    result.utc_offset_s = _utc_offset(state.activity)
    result.facts = list(dict.fromkeys(result.facts))
    times = state.rec_t
    state.rec_sorted = all(a <= b for a, b in itertools.pairwise(times))
    if kind is not None and kind != "activity":
        result.problem("warning", f"not an activity file ({kind}): skipped")
        return
    if state.sessions:
        result.sessions = [_session_row(state, i, s) for i, s in enumerate(state.sessions)]
    elif state.rec_t:
        result.sessions = [_session_from_records(state)]
        result.problem("warning", "no session message: built the session from its records")
    elif not any(p.severity == "warning" and "damaged" in p.message for p in result.problems):
        result.problem("warning", "no activity data in this file (no session or records)")
    else:
        result.problem("error", "no activity could be read before the damage")
    for session in result.sessions:
        if session.start_unix is None:
            result.problem(
                "warning",
                f"session {session.index} has no usable start time (watch clock not set?):"
                " kept, but it falls on no day",
            )


def read_fit(data: bytes, path: str) -> FitResult:
    """Decode one FIT file. Never raises on bad data: problems are in ``.problems``."""
    result = FitResult(path=path)
    layout, error = _check_layout(data)
    if layout is None:
        result.problem("error", error or "not a FIT file")
        return result
    for message, offset in layout.warnings:
        result.problem("warning", message, offset=offset)
    state = _State(result)
    _walk_messages(layout.data, state, repaired=bool(layout.warnings))
    _finish(state)
    return result


def read_source(source: Any) -> tuple[FitResult | None, str | None]:
    """Read and decode one ``inputs.Source`` (the worker-process entry point: it imports
    neither polars nor anything heavy besides fitparse). Returns (result, None), or
    (None, why the bytes could not be read)."""
    from runload.inputs import SourceReadError

    try:
        data = source.read()
        return read_fit(data, source.name), None
    except SourceReadError as exc:
        return None, str(exc)
    except MemoryError:
        return None, "not enough memory to read this file"
    except Exception as exc:  # a reader bug must cost one file, not the batch
        return None, f"parser failed ({type(exc).__name__}: {exc})"
