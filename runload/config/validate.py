"""Validating one table of a ``runload.toml``: a pydantic model built from the settings'
dataclasses on first use (one converter per value type, the ranges as constraints), so a run
without a config file never imports pydantic; wrong types and values out of range name the
key, all in one message.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import typing
from collections.abc import Callable
from dataclasses import fields
from typing import Annotated, Any, Literal

from runload.config.model import (
    CROSS_CHECKS,
    TABLES,
    Found,
    Zone,
    choices_of,
    field_of,
    limits_of,
    type_of,
)
from runload.units import parse_clock, parse_zone

# --- validation: pydantic, built from the dataclasses on first use ---------------------------
#
# Each value type has one converter that says, after the key's name, what is wrong. pydantic
# is imported only when a config file is read, so a run without one never pays for it.


def _wrong(text: str) -> Exception:
    """A problem with one value; the message is shown after the key (``risk.acwr <text>``)."""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError("runload", "{text}", {"text": text})


def type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong(f"must be a number, not {type_name(value)} ({value!r})")
    if not math.isfinite(value):
        raise _wrong(f"must be a number, not {value!r}")
    return float(value)


def _whole(value: Any) -> int:
    number = _number(value)
    if not number.is_integer():
        raise _wrong(f"must be a whole number, not {value!r}")
    return int(number)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _wrong(f"must be text, not {type_name(value)} ({value!r})")
    return value


def _clock(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return parse_clock(_text(value))
    except ValueError:
        raise _wrong(f'= "{value}" is not a time of day (write it like "07:00")') from None


def _zone(value: Any) -> str:
    try:
        return parse_zone(_text(value))
    except ValueError as exc:
        raise _wrong(f"= {exc}") from None


CONVERTERS: dict[Any, Callable[[Any], Any]] = {
    float: _number,
    int: _whole,
    str: _text,
    dt.time: _clock,
    Zone: _zone,
}


def _converter(table: str, key: str) -> Callable[[Any], Any]:
    """The one converter of ``table.key``'s type; its "not set" value becomes None."""
    base, _ = type_of(table, key)
    convert = _text if typing.get_origin(base) is Literal else CONVERTERS[base]
    unset = field_of(table, key).metadata["unset"]

    def checked(value: Any) -> Any:
        if unset is not None and not isinstance(value, bool) and value == unset:
            return None
        return convert(value)

    return checked


@functools.cache
def _validator(table: str) -> Any:
    """The pydantic model that validates ``table``: each key's type, converter and range."""
    from pydantic import BeforeValidator, ConfigDict, create_model
    from pydantic import Field as Constraint

    keys: dict[str, Any] = {}
    for f in fields(TABLES[table]):
        base, optional = type_of(table, f.name)
        typed = (base | None) if optional else base
        lo, hi = limits_of(table, f.name)
        keys[f.name] = (
            Annotated[typed, BeforeValidator(_converter(table, f.name))],
            Constraint(f.default, ge=lo, le=hi),
        )
    return create_model(f"{table}_settings", __config__=ConfigDict(extra="forbid"), **keys)


def validate_table(table: str, given: dict[str, Any]) -> tuple[Any, Found]:
    """``TABLES[table]`` from the keys ``given``, or None and the problems found."""
    from pydantic import ValidationError

    try:
        checked = _validator(table).model_validate(given)
    except ValidationError as exc:
        return None, [pair for error in exc.errors() for pair in _explain(table, error)]
    value = TABLES[table](**{f.name: getattr(checked, f.name) for f in fields(TABLES[table])})
    return value, CROSS_CHECKS.get(table, lambda _: [])(value)


def _explain(table: str, error: Any) -> Found:
    """One pydantic error as ``(keys, message)`` pairs in runload's words."""
    key = str(error["loc"][0]) if error["loc"] else ""
    dotted = f"{table}.{key}"
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "runload":
        return [(dotted, f"{dotted} {ctx['text']}")]
    if kind in ("greater_than_equal", "less_than_equal"):
        lo, hi = limits_of(table, key)
        return [(dotted, f"{dotted} = {value:g} is out of range ({lo:g} to {hi:g})")]
    if kind == "literal_error":
        choices = ", ".join(choices_of(table, key))
        return [(dotted, f'{dotted} = "{value}" is not one of {choices}')]
    return [(dotted, f"{dotted}: {error['msg']}")]
