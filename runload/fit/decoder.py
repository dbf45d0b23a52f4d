"""Which decoder reads a file, and the one damage policy for every FIT file.

* ``verdict()``: before the fast decoder reads a user's file, a small bundled canary
  file (``canary.fit``: real segments with compressed timestamps, compressed
  speed/distance, developer fields, a chained segment and a truncated tail) is decoded
  by both decoders and every message compared, once per install (``verdicts`` keeps the
  verdict; ingest's workers ``adopt`` their parent's). Any difference or exception: the
  public decoder is used, and the verdict carries the note to show once.
  ``RUNLOAD_FIT_DECODER=public`` skips the fast decoder and the check altogether (for a
  fitparse runload does not know, or to compare).
* ``decode()``: walks a file's messages into handler state. An exception in the
  fast decoder is never "damage": the file is read again by the public decoder,
  and only what the public decoder cannot read is damage (``Stop``: the byte
  offset it stopped at). Everything read before the damage is kept.
* ``damage_problems()``: layout repairs and damage as ``Problem``s, with one
  severity and one wording whichever kind of file it is.
(The installed fitparse's version and tag: ``runload.fit.installed``.)
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Generic, TypeVar

from runload.errors import Problem
from runload.fit.installed import fitparse_version
from runload.fit.layout import Layout, check_layout
from runload.fit.messages import ACTIVITY_FULL, MONITORING_FULL, SEGMENT, Message, expand

FAST = "fast"
PUBLIC = "public"
ENV_VAR = "RUNLOAD_FIT_DECODER"  # "public": never use the fast decoder

S = TypeVar("S")
Handle = Callable[[S, Message], None]
Source = Callable[[io.BytesIO, frozenset[str]], Iterator[Message]]


@dataclass(frozen=True)
class Verdict:
    """The decoder this process uses for a file's first read, and why not the fast
    one (``note``, to show once) when the canary check failed."""

    decoder: str
    note: str | None = None
    reason: str | None = None  # what the canary check saw (for --debug and tests)


@dataclass
class Decoded(Generic[S]):
    state: S
    damage: Stop | None  # where the public decoder could not go on
    decoder: str
    note: str | None


def _sources() -> dict[str, Source]:
    from runload.fit import fast, public

    return {FAST: fast.messages, PUBLIC: public.messages}


# ------------------------------------------------------------------------ the canary


def canary_bytes() -> bytes:
    return resources.files("runload.fit").joinpath("canary.fit").read_bytes()


def trace(source: Source, layout: Layout, full: frozenset[str]) -> tuple[list[Message], str]:
    """Every message ``source`` reads from the bytes (a block of records read in bulk: each
    of its records), and how it stopped."""
    out: list[Message] = []
    stop = _walk(source, layout.data, full, {"*": lambda _, m: out.extend(expand(m))}, None)
    return out, "end" if stop is None else f"stopped after byte {stop.offset} ({stop.detail})"


def compare_on_canary(sources: dict[str, Source] | None = None) -> str | None:
    """None when the fast decoder reads the canary exactly as the public one does,
    else what differed."""
    sources = sources or _sources()
    full = ACTIVITY_FULL | MONITORING_FULL  # as the handlers read them
    layout = check_layout(canary_bytes())
    fast, fast_end = trace(sources[FAST], layout, full)
    public, public_end = trace(sources[PUBLIC], layout, full)
    if public_end == "end" or len(public) < 1000:
        return f"the canary itself reads wrongly ({len(public)} messages, {public_end})"
    for i, (a, b) in enumerate(zip(fast, public, strict=False)):
        if a != b:
            return f"message {i} differs ({a.name}: {a.values} != {b.name}: {b.values})"
    if len(fast) != len(public) or fast_end != public_end:
        return f"{len(fast)} messages ({fast_end}) != {len(public)} ({public_end})"
    return None


class _Accident(Exception):
    """The canary check could not run for a reason of this run, not of the decoders."""


def _canary_reason() -> str | None:
    try:
        return compare_on_canary()
    except (MemoryError, OSError) as exc:  # this run's accident: say it, do not keep it
        raise _Accident(f"the canary check failed ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # no canary (a broken install), a fitparse that cannot start
        return f"the canary check failed ({type(exc).__name__}: {exc})"


def _checked() -> Verdict:
    """The canary's verdict: the one kept for this install (``verdicts``), else the check
    itself (then kept)."""
    from runload.fit import verdicts

    kept = verdicts.load()
    if kept is not None:
        return Verdict(kept["decoder"], kept.get("note"), kept.get("reason"))
    try:
        reason = _canary_reason()
    except _Accident as exc:
        return _fallback(str(exc))
    chosen = Verdict(FAST) if reason is None else _fallback(reason)
    verdicts.save(chosen.decoder, chosen.note, chosen.reason)
    return chosen


def _fallback(reason: str) -> Verdict:
    note = (
        f"fitparse {fitparse_version()} is not the release runload's fast reader was"
        " built for; reading at normal speed"
    )
    return Verdict(PUBLIC, note, reason)


_VERDICT: Verdict | None = None


def verdict() -> Verdict:
    """This process's decoder: ``RUNLOAD_FIT_DECODER=public`` forces the public one;
    else the verdict handed over by the process that started this one (``adopt``), the
    one kept for this install, or the canary check (on the first call, once per
    install)."""
    global _VERDICT
    if _VERDICT is None:
        _VERDICT = Verdict(PUBLIC) if FAST not in allowed_decoders() else _checked()
    return _VERDICT


def adopt(chosen: Verdict) -> None:
    """Take the verdict of the process that started this one (ingest's workers: they
    neither check the canary again nor read the kept verdict)."""
    global _VERDICT
    _VERDICT = chosen


def reset_verdict() -> None:
    """Forget this process's verdict (tests that change fitparse under it)."""
    global _VERDICT
    _VERDICT = None


# ----------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Stop:
    """Why and where a walk stopped before the end of the file (from the public
    decoder: the file's damage)."""

    error: Exception
    offset: int  # where the message it broke in starts
    cut: bool  # the bytes ran out inside that message
    header: int | None  # that message's record header byte

    @property
    def detail(self) -> str:
        """What broke, in runload's words from the bytes themselves: fitparse builds
        word the same damage differently (1.2.0 raises ``FitEOFError`` where newer
        builds warn that the file was terminated; an odd field size is an error in
        one and a warning, or a crash in its message, in another), and a problem must
        read the same whichever fitparse the user has."""
        if self.cut:
            return "the file ends inside a message"
        if self.header is None:
            return "no message where one should start"
        if self.header & 0x80:  # a compressed-timestamp data message
            return f"a data message of local type {(self.header >> 5) & 0x3} cannot be decoded"
        what = "message definition" if self.header & 0x40 else "data message"
        return f"a {what} of local type {self.header & 0xF} cannot be decoded"


def _walk(
    source: Source, data: bytes, full: frozenset[str], handlers: dict[str, Handle[S]], state: S
) -> Stop | None:
    """Feed every message to its handler (``"*"``: any other message). Returns None at
    the end of the file, else where and why it stopped.

    Inside, a fitparse warning is an error: newer fitparse builds warn and go on where
    1.2.0 stops (a message cut short is returned half-read, a field of the wrong size
    is read as bytes); so every build stops at the same place, and no stray
    ``UserWarning`` reaches the user's terminal. Only the decoder's exceptions are the
    file's damage: a handler's is runload's own bug and propagates (ingest reports it as
    "parser failed", never as damage at some byte of a sound file)."""
    buf = io.BytesIO(data)
    default = handlers.get("*")
    pos = 0
    with warnings.catch_warnings():
        warnings.filterwarnings("error", module=r"fitparse(\.|$)")
        messages = source(buf, full)
        while True:
            try:
                message = next(messages)
            except StopIteration:
                return None
            except Exception as exc:
                header = data[pos] if pos < len(data) else None
                cut = buf.closed or buf.tell() >= len(data)  # (fitparse closes it at the end)
                return Stop(exc, pos, cut=cut, header=header)
            handler = handlers.get(message.name, default)
            if handler is not None:
                handler(state, message)
            pos = buf.tell()


def _walk_segments(
    source: Source, layout: Layout, full: frozenset[str], handlers: dict[str, Handle[S]], state: S
) -> Stop | None:
    """``_walk`` each chained FIT segment of ``layout`` on its own (a segment is a FIT file
    of its own: its definitions, developer fields and timestamps start afresh), telling
    the ``SEGMENT`` handler, if any, where each one starts, so that the handlers keep
    what belongs to which segment apart. Stops at the first damage (its offset in the
    whole file)."""
    on_segment = handlers.get(SEGMENT)
    data = layout.data
    for index, (start, end) in enumerate(layout.segments or [(0, len(data))]):
        if on_segment is not None:
            on_segment(state, Message(SEGMENT, {"index": index, "offset": start}, {}))
        stop = _walk(source, data[start:end], full, handlers, state)
        if stop is not None:  # (at 0: in its first message, after the segment's header)
            offset = stop.offset or min(data[start], end - start)
            header = (
                stop.header
                if stop.offset
                else (data[start + offset] if start + offset < end else None)
            )
            return Stop(stop.error, start + offset, stop.cut, header)
    return None


def decode(
    layout: Layout,
    full: frozenset[str],
    handlers: dict[str, Handle[S]],
    new_state: Callable[[], S],
) -> Decoded[S]:
    """Read the messages of ``layout`` into a fresh state, segment by segment.
    ``handlers`` maps message names to handlers (``"*"``: any other message;
    ``SEGMENT``: the start of each chained segment)."""
    chosen = verdict()
    sources = _sources()
    if chosen.decoder == FAST:
        state = new_state()
        if _walk_segments(sources[FAST], layout, full, handlers, state) is None:
            return Decoded(state, None, FAST, None)
        # An exception in the fast decoder is never damage: the public one decides.
    state = new_state()
    damage = _walk_segments(sources[PUBLIC], layout, full, handlers, state)
    # In a file whose layout was repaired (already warned about), running out in the
    # last two bytes is the CRC that was missing, not news.
    if damage is not None and layout.repaired and damage.offset >= len(layout.data) - 2:
        damage = None
    return Decoded(state, damage, PUBLIC, chosen.note)


def damage_problems(path: str, layout: Layout, damage: Stop | None) -> list[Problem]:
    """The layout repairs and the damage of one file, as warnings (the data read is
    kept); the caller adds an error when nothing usable was read."""
    problems = [Problem(path, "warning", message, offset=offset, code=code)
                for message, offset, code in layout.warnings]  # fmt: skip
    if damage is not None:
        problems.append(
            Problem(
                path,
                "warning",
                f"damaged at byte {damage.offset} ({damage.detail}); kept what was read before it",
                offset=damage.offset,
                code="fit.damaged",
            )
        )
    return problems


def file_type(head: bytes) -> str | None:
    """``file_id.type`` (``monitoring_b``, ``activity``...) from the first bytes of a FIT
    file (the FIT protocol puts ``file_id`` first; 4 kB is plenty), or None. Only the
    first messages are read: no CRC is checked."""
    from runload.fit import public

    if len(head) < 12 or head[8:12] != b".FIT":
        return None
    data = bytearray(head)
    if data[0] >= 14:
        data[12:14] = b"\0\0"  # "no header CRC": this look does not check CRCs
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for message in public.messages(io.BytesIO(bytes(data)), frozenset(("file_id",))):
                if message.name == "file_id":
                    kind = message.values.get("type")
                    return None if kind is None else str(kind)
    except Exception:  # not readable as FIT: not a monitoring file either
        return None
    return None


def allowed_decoders() -> tuple[str, ...]:
    """The decoders whose cached results this run may use, the preferred one first
    (``RUNLOAD_FIT_DECODER=public``: only the public one)."""
    if os.environ.get(ENV_VAR, "").strip().lower() == PUBLIC:
        return (PUBLIC,)
    return (FAST, PUBLIC)
