"""The fast decoder: fitparse driven through its private internals.

Plain fitparse reads every field of every message with its own ``struct`` call, builds
a ``FieldData`` per field, and runs three failing method look-ups per field in its
data processor; that is most of a season's ingest time. Here ``LeanFitFile``
subclasses fitparse 1.2's ``FitFile`` and overrides private methods so that:

* a message the handlers do not want in full is read as one block of bytes and only
  its timestamp (and, for a record, heart rate, latitude, distance and cadence) is unpacked,
  in one ``struct`` call (a record with a developer field that stands for a native one
  is read by fitparse, so that ``messages.project`` sees that field);
* a run of consecutive records of one definition (the same header byte, whole, within
  the data) is read in one ``struct.iter_unpack`` into columns, one ``messages.RECORDS``
  block instead of a message and a dict per record, when the reader asks for blocks
  (``RECORDS`` among its ``full`` names: ``activity``); a compressed-timestamp header, a
  definition, another local type or a cut ends the run, and those are read one by one;
* the data processor does nothing (values stay raw, as ``messages.Message`` wants);
* fitparse's per-read CRC (two nibble steps per byte) is skipped: ``layout`` has
  checked and repaired every CRC with a table-driven CRC first.

Measured on the benchmark's one-hour 1 Hz runs: about 40x faster than plain fitparse
per file (14 ms against 610; 44 ms before the records came in bulk). This depends on
internals that change between fitparse builds (the newest source has none of
``fitparse.records.DEV_TYPES`` and another class layout under the same version number),
so this module is never trusted blindly: ``decoder`` checks it (blocks expanded to their
records) against the public path on a bundled canary file, once per install
(``verdicts``), before it reads a user's file, and any exception here on a user's file
sends that file to the public path (``public``).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from runload.fit.messages import (
    RECORDS,
    TIMESTAMP_ONLY,
    Message,
    bad_field_size,
    dev_native,
    project,
)

if TYPE_CHECKING:
    from fitparse import FitFile as _FitFileBase
else:
    # fitparse is imported only when the fast path is used: ``lean_fit_class`` puts the
    # real ``FitFile`` after ``_LeanReading`` in ``LeanFitFile``'s bases
    _FitFileBase = object

# Messages fitparse itself must see in full: they define developer fields.
_DEVELOPER = frozenset(("developer_data_id", "field_description"))
_RECORD_NUM = 20
_COMPRESSED_SPEED_DISTANCE = 8  # record field with accumulated components
# position_lat, heart_rate, cadence, distance, timestamp (messages.RECORD_FIELDS)
_RECORD_DEF_NUMS = frozenset((0, 3, 4, 5, 253))

# The private methods the subclass calls or overrides (fitparse 1.2.x).
PRIVATE_API = (
    "_parse_data_message",
    "_apply_scale_offset",
    "_apply_compressed_accumulation",
    "_parse_file_header",
    "_parse_message_header",
    "_read",
    "_read_and_assert_crc",
)


class FastPathUnavailable(RuntimeError):
    """This fitparse lacks an internal the fast decoder needs."""


class FieldSizeError(ValueError):
    """A data message whose definition has a field of an impossible size
    (``messages.bad_field_size``): the file's damage, in both decoders."""


class _Plan(NamedTuple):
    """How one message definition's data messages are read."""

    bad: str | None  # why they cannot be (``messages.bad_field_size``)
    full: bool  # fitparse's own path
    size: int  # bytes of one data message
    unpack: Callable[[bytes], tuple[Any, ...]] | None  # the kept values, in field order
    kept: list[tuple[int, Any]]  # (field index, base type) of each unpacked value
    ts_index: int | None  # field index of the timestamp
    wanted: list[tuple[int, Any]]  # (field index, profile field) of the values to build
    # records read in bulk: the header byte and the kept values of one message, and how
    # each wanted value is built (its field's ``render`` and scale, when it has them)
    bulk: struct.Struct | None = None
    build: tuple[tuple[int, str, Any, Any], ...] = ()


def _plan_for(def_mesg: Any, timestamp_num: int, full_names: frozenset[str]) -> _Plan:
    mesg_type, defs = def_mesg.mesg_type, def_mesg.field_defs
    all_defs = [*defs, *def_mesg.dev_field_defs]
    size = sum(fd.size for fd in all_defs)
    is_record = def_mesg.mesg_num == _RECORD_NUM
    full = (
        mesg_type is None
        or mesg_type.name in full_names
        or mesg_type.name in _DEVELOPER
        or (is_record and any(fd.def_num == _COMPRESSED_SPEED_DISTANCE for fd in defs))
        # a developer field that stands for a native one (``messages.DEV_NATIVE``)
        or any(dev_native(mesg_type.name, fd.field) for fd in def_mesg.dev_field_defs)
    )
    ts_index = next((i for i, fd in enumerate(defs) if fd.def_num == timestamp_num), None)
    # (by name, as ``messages.project`` picks them: a course_point's "timestamp" is its
    # field 1, not the usual 253)
    wanted = [
        (i, fd.field)
        for i, fd in enumerate(defs)
        if fd.field is not None
        and (fd.def_num in _RECORD_DEF_NUMS if is_record else fd.field.name in TIMESTAMP_ONLY)
    ]
    keep = sorted({i for i, _ in wanted} | ({ts_index} if ts_index is not None else set()))
    kept = [(i, defs[i].base_type) for i in keep]
    if any(bt.name == "byte" or defs[i].size != bt.size for i, bt in kept):
        full = True  # an array where one value was expected: let fitparse read it
    by_index = dict(kept)
    fmt = "".join(
        bt.fmt if (bt := by_index.get(i)) is not None else f"{fd.size}x"
        for i, fd in enumerate(all_defs)
    )
    unpack = struct.Struct(def_mesg.endian + fmt).unpack if kept else None
    bulk: struct.Struct | None = None
    build: tuple[tuple[int, str, Any, Any], ...] = ()
    if is_record and not full and wanted:
        bulk = struct.Struct(def_mesg.endian + "B" + fmt)
        build = tuple(
            (i, f.name, f.render if f.type.values else None, f if f.scale or f.offset else None)
            for i, f in wanted
        )
    return _Plan(bad_field_size(def_mesg), full, size, unpack, kept, ts_index, wanted, bulk, build)


class _Internals(NamedTuple):
    """What the fast decoder takes from this fitparse build."""

    fit_file: Any  # fitparse.FitFile, the class ``LeanFitFile`` extends
    headers: tuple[Any, ...]  # the message header of each possible header byte
    timestamp_num: int  # the field number of a message's timestamp (253)
    eof_error: type[Exception]  # what a read past the end raises (FitEOFError)


def _fitparse_internals() -> _Internals:
    """This fitparse's internals; ``FastPathUnavailable`` when one is missing."""
    try:
        from fitparse import FitFile
        from fitparse.profile import FIELD_TYPE_TIMESTAMP
        from fitparse.records import MessageHeader
        from fitparse.utils import FitEOFError
    except ImportError as exc:
        raise FastPathUnavailable(str(exc)) from None
    missing = [name for name in PRIVATE_API if not hasattr(FitFile, name)]
    if missing:
        raise FastPathUnavailable(f"fitparse.FitFile has no {', '.join(missing)}")
    headers = _message_headers(MessageHeader)
    return _Internals(FitFile, headers, FIELD_TYPE_TIMESTAMP.def_num, FitEOFError)


def _message_headers(message_header: Any) -> tuple[Any, ...]:
    """The 256 possible message headers, built once (fitparse builds one per message)."""
    return tuple(
        message_header(
            is_definition=False,
            is_developer_data=False,
            local_mesg_num=(b >> 5) & 0x3,
            time_offset=b & 0x1F,
        )
        if b & 0x80
        else message_header(
            is_definition=bool(b & 0x40),
            is_developer_data=bool(b & 0x20),
            local_mesg_num=b & 0xF,
            time_offset=None,
        )
        for b in range(256)
    )


_FIT_CLASS: Any = None


def lean_fit_class() -> Any:
    """The ``LeanFitFile`` class, built once per process on this fitparse; raises
    ``FastPathUnavailable`` when an internal it needs is missing."""
    global _FIT_CLASS
    if _FIT_CLASS is None:
        api = _fitparse_internals()
        # type() rather than a class statement: the base is a value found at run time
        _FIT_CLASS = type(
            "LeanFitFile",
            (_LeanReading, api.fit_file),
            {
                "_lean_headers": api.headers,
                "_lean_timestamp_num": api.timestamp_num,
                "_lean_eof": api.eof_error,
            },
        )
    return _FIT_CLASS


class _LeanReading(_FitFileBase):
    """The methods ``LeanFitFile`` overrides, put before fitparse's ``FitFile`` in its
    bases (``lean_fit_class``), so that their ``super()`` is ``FitFile``."""

    # set by ``lean_fit_class`` from ``_Internals``
    _lean_headers: tuple[Any, ...]
    _lean_timestamp_num: int
    _lean_eof: type[Exception]

    def __init__(self, fileish: Any, full_names: frozenset[str]) -> None:
        self._plans: dict[Any, _Plan] = {}
        self._full_names = full_names
        # runs of records in bulk (``messages.RECORDS``), when the reader asks for them
        self._bulk = RECORDS in full_names and isinstance(fileish, io.BytesIO)
        self._data = fileish.getvalue() if self._bulk else b""
        # check_crc=True so that every fitparse build consumes the CRC bytes; the
        # CRC itself is skipped below (layout has checked it).
        super().__init__(fileish, check_crc=True, data_processor=_null_processor())

    def _read(self, size: int) -> bytes | None:
        if size <= 0:
            return None
        data = self._file.read(size)
        if len(data) != size:
            raise self._lean_eof(f"Tried to read {size} bytes from .FIT file but got {len(data)}")
        self._bytes_left -= size
        return data

    def _read_and_assert_crc(self, allow_zero: bool = False) -> None:
        self._read(2)

    def _parse_message_header(self) -> Any:
        return self._lean_headers[self._read(1)[0]]  # type: ignore[index]  # never None for 1 byte

    def _parse_data_message(self, header: Any) -> Any:
        def_mesg = self._local_mesgs.get(header.local_mesg_num)
        if def_mesg is None:
            return super()._parse_data_message(header)
        plan = self._plans.get(def_mesg)
        if plan is None:
            plan = self._plans[def_mesg] = _plan_for(
                def_mesg, self._lean_timestamp_num, self._full_names
            )
        if plan.bad is not None:
            raise FieldSizeError(plan.bad)
        if plan.full:
            return super()._parse_data_message(header)
        if plan.bulk is not None and self._bulk and header.time_offset is None:
            block = self._read_block(plan, plan.bulk)
            if block is not None:
                return _Lean(def_mesg.mesg_type, block)
        # one message, its kept values only (inline: a method call here, once per message,
        # cost 2% of the single path)
        data = self._read(plan.size) or b""  # None: a message of no bytes
        raw: dict[int, Any] = {}
        if plan.unpack is not None:
            for (i, base_type), value in zip(plan.kept, plan.unpack(data), strict=True):
                raw[i] = base_type.parse(value)
        if plan.ts_index is not None and raw[plan.ts_index] is not None:
            self._compressed_ts_accumulator = raw[plan.ts_index]
        scale = self._apply_scale_offset
        values = {f.name: scale(f, f.render(raw[i])) for i, f in plan.wanted}
        if header.time_offset is not None:
            ts = self._apply_compressed_accumulation(
                header.time_offset, self._compressed_ts_accumulator, 5
            )
            self._compressed_ts_accumulator = ts
            values["timestamp"] = ts
        return _Lean(def_mesg.mesg_type, Message(def_mesg.mesg_type.name, values, {}))

    def _read_block(self, plan: _Plan, bulk: struct.Struct) -> Message | None:
        """This record (its header byte just read) and the records right after it with
        the same header byte, whole, within the data, as one ``RECORDS`` block; None
        when no record follows (the single path reads it, or finds the file cut)."""
        data, pos = self._data, self._file.tell()
        end = _run_end(data, pos, self._bytes_left, plan.size)
        if end is None:
            return None
        rows = bulk.iter_unpack(data[pos - 1 : end])
        columns = list(zip(*rows, strict=True))
        self._file.seek(end)
        self._bytes_left -= end - pos
        parsed = {
            i: list(map(base_type.parse, columns[k]))
            for k, (i, base_type) in enumerate(plan.kept, 1)
        }
        if plan.ts_index is not None:
            stamps = [t for t in parsed[plan.ts_index] if t is not None]
            if stamps:
                self._compressed_ts_accumulator = stamps[-1]
        return Message(RECORDS, _build_columns(plan, parsed, self._apply_scale_offset), {})


def _run_end(data: bytes, pos: int, left: int, size: int) -> int | None:
    """Where the run of records that starts at ``pos`` (its header byte at ``pos - 1``,
    each record ``size`` bytes) ends: after the last record right behind it with the same
    header byte, whole, within ``left`` bytes of data; None when no such record follows."""
    stride = size + 1
    room = min(left, len(data) - pos) - size
    if room < stride or pos == 0:
        return None
    head = data[pos - 1]
    heads = data[pos + size : pos + size + (room // stride) * stride : stride]
    more = len(heads) - len(heads.lstrip(bytes((head,))))
    if not more:
        return None
    return pos + size + more * stride


def _build_columns(
    plan: _Plan, parsed: dict[int, list[Any]], scale: Callable[[Any, Any], Any]
) -> dict[str, list[Any]]:
    """The wanted columns of a block by name, each rendered and scaled as its field says
    (``_Plan.build``), from the parsed kept columns by field index."""
    values: dict[str, list[Any]] = {}
    for i, name, render, scaled in plan.build:
        column = parsed[i]
        if render is not None:
            column = list(map(render, column))
        if scaled is not None:
            column = [scale(scaled, v) for v in column]
        values[name] = column
    return values


class _Lean:
    """A data message of the lean path as fitparse's message loop sees it (``type``,
    ``mesg_type``), carrying the finished ``Message``."""

    __slots__ = ("mesg_type", "message")
    type = "data"

    def __init__(self, mesg_type: Any, message: Message) -> None:
        self.mesg_type = mesg_type
        self.message = message


_PROCESSOR: Any = None


def _null_processor() -> Any:
    """A fitparse data processor that does nothing: values stay raw (FIT seconds, scaled
    numbers, enum names)."""
    global _PROCESSOR
    if _PROCESSOR is None:
        from fitparse.processors import FitFileDataProcessor

        class NullProcessor(FitFileDataProcessor):
            def run_type_processor(self, field_data: Any) -> None:
                pass

            def run_field_processor(self, field_data: Any) -> None:
                pass

            def run_unit_processor(self, field_data: Any) -> None:
                pass

            def run_message_processor(self, data_message: Any) -> None:
                pass

        _PROCESSOR = NullProcessor()
    return _PROCESSOR


def clear_global_developer_types() -> None:
    """fitparse 1.2.0 keeps developer field types in a module global
    (``fitparse.records.DEV_TYPES``), so one file's would leak into the next: clear it
    before each file. Newer builds keep them per file and have no such global."""
    from fitparse import records

    dev_types = getattr(records, "DEV_TYPES", None)
    if isinstance(dev_types, dict):
        dev_types.clear()


def messages(buf: io.BytesIO, full: frozenset[str]) -> Iterator[Message]:
    """The file's data messages, read the fast way (see the module docstring)."""
    clear_global_developer_types()
    fit = lean_fit_class()(buf, full)
    stream = fit.get_messages()
    for count, message in enumerate(stream, 1):
        if isinstance(message, _Lean):
            yield message.message
        else:
            yield project(message.name, message.fields, full)
        if count & 0x3FF == 0 and isinstance(kept := getattr(fit, "_messages", None), list):
            kept.clear()  # fitparse keeps every message; nothing here needs them
