"""JSON read from a user's file (a sitting export, a log), parsed so that no value in it can
stop a batch: the one ``loads`` and the one ``decoder`` every reader of user JSON uses.

Python refuses to turn an integer of more than 4,300 digits into an ``int`` (a guard
against slow conversions) with a plain ``ValueError`` that ``json`` lets through: a
5,001-digit ``totalSteps`` in a Garmin daily summary, even a field runload does not read,
ended ``sitting show``, ``report``, ``check`` and ``sources`` with an internal error, and
``team`` for the whole squad. Here such a number is a ``NumberTooLongError``, a
``json.JSONDecodeError`` with its line and column, so it is one problem naming the file and
line, as broken JSON is. (A float literal that long reads as infinity or a huge value: the
readers' range checks refuse it.)
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

# What Python converts (``sys.get_int_max_str_digits``: 4,300 unless changed; 0 is no limit).
MAX_DIGITS = sys.get_int_max_str_digits() or 4300


class NumberTooLongError(json.JSONDecodeError):
    """A JSON integer with more digits than Python converts (``MAX_DIGITS``)."""

    def __init__(self, digits: int, doc: str, pos: int) -> None:
        super().__init__(
            f"a number of {digits:,} digits, more than runload reads ({MAX_DIGITS:,})", doc, pos
        )
        self.digits = digits


class _TooLong(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal[:20])
        self.literal = literal


def _int(literal: str) -> int:
    try:
        return int(literal)
    except ValueError:  # only "Exceeds the limit": json hands over well-formed digits only
        raise _TooLong(literal) from None


def _position(doc: str, literal: str, start: int) -> int:
    """Where ``literal`` (a number json found) stands in ``doc``, at or after ``start``."""
    found = re.compile(r"(?<![0-9.eE+-])" + re.escape(literal) + r"(?![0-9])").search(doc, start)
    return found.start() if found else start


class SafeDecoder(json.JSONDecoder):
    """``json.JSONDecoder`` whose integers too long for Python are a ``NumberTooLongError``
    at their place in the text (``raw_decode`` and ``decode`` alike)."""

    def __init__(self) -> None:
        super().__init__(parse_int=_int)

    def raw_decode(self, s: str, idx: int = 0) -> tuple[Any, int]:
        try:
            return super().raw_decode(s, idx)
        except _TooLong as exc:
            digits = len(exc.literal.lstrip("-"))
            raise NumberTooLongError(digits, s, _position(s, exc.literal, idx)) from None


_DECODER = SafeDecoder()


def decoder() -> SafeDecoder:
    """The decoder to call ``raw_decode`` on (reading a JSON list item by item)."""
    return _DECODER


def loads(text: str) -> Any:
    """``json.loads`` for a user's file: ``json.JSONDecodeError`` (``NumberTooLongError`` for
    an integer too long to convert) or ``RecursionError`` (nested too deep) when it cannot
    be read, never another error."""
    return _DECODER.decode(text)
