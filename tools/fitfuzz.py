"""Mutation fuzzing of FIT files through runload's public reading of bytes (dev-only, like
``tools.fitgen``): the bounded run in ``tests/test_fit_fuzz.py`` and the long one in
``benchmarks/fuzz.py`` share it.

Each case is one seed: ``random.Random(seed)`` picks the corpus file(s) and the mutation,
so a failure reproduces from its seed alone (``case(corpus, seed)``). Mutations: bit flips,
truncations, splices of two files, chained files, and, on the message level (a small FIT
walker finds the messages), repeated and redefined definitions, duplicated, dropped and
swapped messages and overwritten fields; a structural mutation fixes the header's size and
the CRCs half of the time, so that the decoders read on into what was changed instead of
stopping at the layout check.

``run_case`` reads a case's bytes as ingest's worker does (``runload.readers.
read_activity`` on an in-memory ``Source``) and builds its cache entry
(``entries.entry_from_result``), and a monitoring file also as the sitting reader does
(``sitting.monitoring.monitoring_states``); ``check`` says what is wrong: a reader
exception ("parser failed", the traceback a user would have had), a problem that is not
well formed, a file neither read nor reported. A ``Watchdog`` bounds each case: past the
bound it saves the case's bytes and interrupts the loop, so a hang fails with its seed.
"""

from __future__ import annotations

import _thread
import dataclasses
import faulthandler
import random
import struct
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runload.fit import fit_crc
from runload.inputs import Source

MUTATIONS = (
    "flip",
    "truncate",
    "splice",
    "chain",
    "repeat_definition",
    "redefine",
    "duplicate_message",
    "drop_message",
    "swap_messages",
    "overwrite_field",
    "overwrite_summary",
    "havoc",
)
# What ``overwrite_summary`` aims at: file_id, sport, session, lap, device_info, activity,
# and the developer field descriptions (the records are most of a file's messages).
_SUMMARY = frozenset((0, 12, 18, 19, 23, 34, 206, 207))
SEVERITIES = ("error", "warning", "info")


# ------------------------------------------------------------------- the FIT walker


@dataclass(frozen=True)
class Msg:
    offset: int  # from the start of the file
    size: int
    definition: bool
    local: int
    global_num: int  # of the message it defines or is


def walk(data: bytes) -> tuple[int, list[Msg]]:
    """The header size and the messages of the first segment of ``data``, as far as they
    can be told apart (the walk stops at the first message it cannot size)."""
    if len(data) < 12 or data[8:12] != b".FIT":
        return 0, []
    start = data[0]
    size = struct.unpack_from("<I", data, 4)[0]
    end = min(len(data), start + size) if size else len(data)  # (0: "read it all")
    sizes: dict[int, int] = {}
    globals_: dict[int, int] = {}
    out: list[Msg] = []
    pos = start
    while pos < end:
        h = data[pos]
        if h & 0x80:  # compressed timestamp data message
            local = (h >> 5) & 0x3
            size = sizes.get(local)
            definition = False
        elif h & 0x40:
            local = h & 0xF
            if pos + 6 > end:
                break
            n = data[pos + 5]
            size = 6 + 3 * n
            fields = data[pos + 6 : pos + size]
            body = sum(fields[i + 1] for i in range(0, len(fields) - 2, 3))
            if h & 0x20 and pos + size < end:
                d = data[pos + size]
                devs = data[pos + size + 1 : pos + size + 1 + 3 * d]
                body += sum(devs[i + 1] for i in range(0, len(devs) - 2, 3))
                size += 1 + 3 * d
            sizes[local] = body
            globals_[local] = struct.unpack_from(">H" if data[pos + 2] else "<H", data, pos + 3)[0]
            definition = True
        else:
            local = h & 0xF
            size = sizes.get(local)
            definition = False
        if size is None:
            break
        if not definition:
            size += 1
        if pos + size > end:
            break
        out.append(Msg(pos, size, definition, local, globals_.get(local, -1)))
        pos += size
    return start, out


def fix_up(data: bytes | bytearray, header: int) -> bytes:
    """``data`` (one segment) with its header's data size and both CRCs made right."""
    out = bytearray(data)
    if len(out) < max(12, header):
        return bytes(out)
    body = len(out) - header
    struct.pack_into("<I", out, 4, body)
    if header >= 14:
        struct.pack_into("<H", out, 12, fit_crc(out[:12]))
    return bytes(out) + struct.pack("<H", fit_crc(out))


def _segment(data: bytes) -> tuple[int, bytes, list[Msg]]:
    """(header size, the first segment without its CRC, its messages)."""
    header, msgs = walk(data)
    end = msgs[-1].offset + msgs[-1].size if msgs else header
    return header, data[:end], msgs


_DEVELOPER = (206, 207)  # field_description, developer_data_id


def condense(data: bytes, budget: int) -> bytes:
    """A big file as a corpus seed of about ``budget`` bytes that a decoder still reads to
    its end: its first messages, its last ones (the summary: laps, sessions, activity),
    and of its middle the developer field descriptions and the last definition of each
    local type, with a right header and CRC."""
    header, seg, msgs = _segment(data)
    if len(data) <= budget:
        return data
    if not msgs:
        return data[:budget]
    head = tail = 0
    keep = [False] * len(msgs)
    for i, m in enumerate(msgs):
        if head + m.size > budget // 2:
            break
        keep[i], head = True, head + m.size
    for i in range(len(msgs) - 1, -1, -1):
        if tail + msgs[i].size > budget // 2:
            break
        keep[i], tail = True, tail + msgs[i].size
    last: dict[int, int] = {}  # local type → its last definition so far
    for i, m in enumerate(msgs):
        if m.definition:
            last[m.local] = i
            continue
        keep[i] = keep[i] or m.global_num in _DEVELOPER
        if keep[i] and m.local in last:  # (with the definition it is read by)
            keep[last[m.local]] = True
    body = b"".join(seg[m.offset : m.offset + m.size] for i, m in enumerate(msgs) if keep[i])
    return fix_up(seg[:header] + body, header)


def load_corpus(folder: Path, max_bytes: int, budget: int) -> list[tuple[str, bytes]]:
    """Every ``.fit`` file in ``folder`` up to ``max_bytes``, bigger ones ``condense``d."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() == ".fit" and path.is_file():
            data = path.read_bytes()
            out.append((path.name, data if len(data) <= max_bytes else condense(data, budget)))
    return out


# ----------------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Case:
    seed: int
    mutation: str
    sources: tuple[str, ...]  # the corpus files it was made from
    data: bytes

    @property
    def name(self) -> str:
        return f"fuzz-{self.seed}.fit"

    def describe(self) -> str:
        return f"seed {self.seed} ({self.mutation} of {' + '.join(self.sources)})"


def _boundary(rng: random.Random, data: bytes, msgs: Sequence[Msg]) -> int:
    """A cut point: a message boundary half of the time, else any byte."""
    if msgs and rng.random() < 0.5:
        return rng.choice(msgs).offset
    return rng.randrange(len(data) + 1)


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    lo = 0 if rng.random() < 0.1 else min(len(out), 14)  # the header now and then
    for _ in range(rng.randint(1, 8)):
        if len(out) > lo:
            out[rng.randrange(lo, len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _messages(rng: random.Random, kind: str, data: bytes) -> bytes:
    """A message-level mutation of ``data``'s first segment (then fixed up or not)."""
    header, seg, msgs = _segment(data)
    if not msgs:
        return _flip(rng, data)
    parts = [seg[m.offset : m.offset + m.size] for m in msgs]
    defs = [i for i, m in enumerate(msgs) if m.definition]
    if kind in ("repeat_definition", "redefine") and defs:
        part = bytearray(parts[rng.choice(defs)])
        if kind == "redefine":  # another layout in a local type in use (or not)
            part[0] = (part[0] & 0xF0) | rng.randrange(16)
            if len(part) > 8 and rng.random() < 0.7:
                part[rng.randrange(6, len(part))] = rng.randrange(256)
        parts.insert(rng.randrange(len(parts) + 1), bytes(part))
    elif kind == "duplicate_message":
        i = rng.randrange(len(parts))
        parts[i:i] = [parts[i]] * rng.randint(1, 50)
    elif kind == "drop_message":
        del parts[rng.randrange(len(parts))]
    elif kind == "swap_messages" and len(parts) > 1:
        i, j = rng.randrange(len(parts)), rng.randrange(len(parts))
        parts[i], parts[j] = parts[j], parts[i]
    else:  # overwrite a data message's fields with 0x00, 0xFF or noise
        summary = [i for i, m in enumerate(msgs) if not m.definition and m.global_num in _SUMMARY]
        aimed = kind == "overwrite_summary" and summary
        i = rng.choice(summary) if aimed else rng.randrange(len(parts))
        part = bytearray(parts[i])
        fill = rng.choice((0x00, 0xFF, None))
        for k in range(1, len(part)):
            if rng.random() < 0.5:
                part[k] = rng.randrange(256) if fill is None else fill
        parts[i] = bytes(part)
    body = seg[:header] + b"".join(parts)
    return fix_up(body, header) if rng.random() < 0.5 else body + data[len(seg) :]


def _mutate(rng: random.Random, kind: str, a: bytes, b: bytes) -> bytes:
    if kind == "flip":
        return _flip(rng, a)
    if kind == "truncate":
        return a[: _boundary(rng, a, walk(a)[1])]
    if kind == "splice":
        cut_a, cut_b = _boundary(rng, a, walk(a)[1]), _boundary(rng, b, walk(b)[1])
        joined = a[:cut_a] + b[cut_b:]
        header = a[0] if a else 0
        if rng.random() < 0.5 and len(joined) > header:
            return fix_up(joined, header)
        return joined
    if kind == "chain":
        return a + (_flip(rng, b) if rng.random() < 0.5 else b)
    return _messages(rng, kind, a)


def case(corpus: Sequence[tuple[str, bytes]], seed: int) -> Case:
    """The mutated file of ``seed`` (the same bytes for the same corpus and seed)."""
    rng = random.Random(seed)
    (name_a, a), (name_b, b) = rng.choice(corpus), rng.choice(corpus)
    kind = rng.choice(MUTATIONS)
    if kind == "havoc":  # several at once
        data = a
        for _ in range(rng.randint(2, 4)):
            data = _mutate(rng, rng.choice(MUTATIONS[:-1]), data, b)
    else:
        data = _mutate(rng, kind, a, b)
    sources = (name_a, name_b) if kind in ("splice", "chain", "havoc") else (name_a,)
    return Case(seed, kind, sources, data)


# ------------------------------------------------------------------- reading a case


@dataclass(frozen=True)
class BytesSource(Source):
    """A source whose bytes are in memory (a fuzz case), read as a file would be."""

    data: bytes = dataclasses.field(default=b"", repr=False)

    def read(self) -> bytes:
        return self.data


def run_case(c: Case) -> tuple[Any, str | None, Any, Any]:
    """(the reader's result, why it could not read, the cache entry, and for a monitoring
    file the sitting reader's problems or its exception's text) of one case, through
    ingest's worker function and entry builder, and the sitting reader."""
    from runload.entries import entry_from_result
    from runload.readers import read_activity

    result, why = read_activity(BytesSource(c.name, c.name, data=c.data))
    sitting: Any = None
    if result is not None and (result.kind or "").startswith("monitoring"):
        from runload.sitting.monitoring import monitoring_states

        try:
            sitting = monitoring_states(c.data, c.name)[1]
        except Exception as exc:  # the sitting path has no guard of its own: a bug
            sitting = f"{type(exc).__name__}: {exc}"
    return result, why, None if result is None else entry_from_result(result), sitting


def check(c: Case, result: Any, why: str | None, entry: Any, sitting: Any = None) -> str | None:
    """What is wrong with a case's outcome, or None."""
    from runload.entries import FILE_SCHEMA

    if result is None:
        return f"not read: {why}"  # read_activity's "parser failed (...)": a reader bug
    if isinstance(sitting, str):
        return f"the sitting reader raised {sitting}"
    for p in [*result.problems, *(sitting or [])]:
        if p.path != c.name or p.severity not in SEVERITIES or not p.message:
            return f"malformed problem {p!r}"
        if "Traceback" in p.message or "parser failed" in p.message:
            return f"a traceback in a problem: {p.message}"
    monitoring = (result.kind or "").startswith("monitoring")
    if not (result.sessions or result.problems or monitoring):
        return "neither read nor reported: no session, no problem"
    if dict(entry.sessions.schema) != FILE_SCHEMA:
        return f"cache entry schema {entry.sessions.schema}"
    for s in result.sessions:
        if len(s.hr_t) != len(s.hr_bpm):
            return f"session {s.index}: {len(s.hr_t)} HR times, {len(s.hr_bpm)} values"
    return None


def differ(c: Case) -> str | None:
    """Where the fast decoder reads the case's bytes otherwise than the public one, when
    it reads them to their end (a fast decoder that stops is never trusted: the public
    one reads that file); None when they agree. The canary check of every process, on
    this case."""
    from runload.fit import activity, fast, monitoring, public
    from runload.fit.decoder import trace
    from runload.fit.layout import LayoutError, check_layout

    try:
        layout = check_layout(c.data)
    except LayoutError:
        return None
    full = activity.FULL | monitoring.FULL
    ours, end = trace(fast.messages, layout, full)
    if end != "end":
        return None
    theirs, their_end = trace(public.messages, layout, full)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"fast and public decoders differ at message {i}: {a} != {b}"
    if len(ours) != len(theirs) or their_end != end:
        return f"fast: {len(ours)} messages to the end; public: {len(theirs)}, {their_end}"
    return None


class Hang(Exception):
    """A case ran past the watchdog's bound."""


class Watchdog:
    """Bounds each case (``with dog.case(c):``) to ``seconds``: past it, the case's bytes
    are saved in ``save_dir`` and the main thread is interrupted (``Hang``, with the
    seed); past four times the bound (a hang in C code, which no interrupt reaches)
    ``faulthandler`` dumps every thread's stack and ends the process."""

    def __init__(self, seconds: float, save_dir: Path) -> None:
        self.seconds = seconds
        self.save_dir = save_dir
        self._current: tuple[Case, float] | None = None
        self._fired: Case | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True, name="fuzz-watchdog").start()

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(min(1.0, self.seconds / 4)):
            with self._lock:
                current = self._current
                if current is None or time.monotonic() - current[1] < self.seconds:
                    continue
                self._fired, self._current = current[0], None
            save(current[0], self.save_dir)
            _thread.interrupt_main()

    def case(self, c: Case) -> _Guard:
        return _Guard(self, c)


class _Guard:
    def __init__(self, dog: Watchdog, c: Case) -> None:
        self.dog, self.c = dog, c

    def __enter__(self) -> None:
        faulthandler.dump_traceback_later(self.dog.seconds * 4, exit=True)
        with self.dog._lock:
            self.dog._current = (self.c, time.monotonic())

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> bool:
        faulthandler.cancel_dump_traceback_later()
        with self.dog._lock:
            self.dog._current = None
            fired, self.dog._fired = self.dog._fired, None
        if fired is not None and kind is KeyboardInterrupt:
            raise Hang(f"{fired.describe()} ran past {self.dog.seconds:g} s") from None
        return False


def save(c: Case, folder: Path) -> Path:
    """The case's bytes as ``folder/fuzz-SEED.fit`` (to reproduce it outside the loop)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / c.name
    path.write_bytes(c.data)
    return path


def cases(corpus: Sequence[tuple[str, bytes]], seeds: Sequence[int] | range) -> Iterator[Case]:
    for seed in seeds:
        yield case(corpus, seed)
