"""The one shape in which decoded FIT messages reach runload's handlers.

Both decoders (``fast`` and ``public``) yield ``Message`` tuples holding exactly what
the handlers read, so the two can be compared message by message (the canary check
in ``decoder``) and a handler never depends on which one ran:

* a message the handlers want in full (``full``): every native field, its value as
  fitparse renders it without a data processor (FIT seconds, scaled numbers, enum
  names) and its raw number;
* a ``record`` otherwise: its timestamp, heart rate, latitude, distance and cadence;
* any other message: its timestamp only (monitoring files resolve ``timestamp_16``
  against the last full timestamp of any message).

Developer fields never appear: a Connect IQ field named like a native one
(``distance``, ``total_distance``) must not replace it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

RECORD = "record"
RECORD_FIELDS = frozenset(("timestamp", "heart_rate", "position_lat", "distance", "cadence"))
# Not a FIT message: the decoder's word that a chained FIT segment starts here
# (``values``: its ``index`` and byte ``offset``); fitparse names no message so.
SEGMENT = "<segment>"
TIMESTAMP_ONLY = frozenset(("timestamp",))


class Message(NamedTuple):
    name: str
    values: dict[str, Any]
    raw: dict[str, Any]  # raw numbers; only for messages decoded in full


def wanted_fields(name: str, full: frozenset[str]) -> frozenset[str] | None:
    """The field names a message of this name carries (None: all of them)."""
    if name in full:
        return None
    return RECORD_FIELDS if name == RECORD else TIMESTAMP_ONLY


def project(name: str, fields: Iterable[Any], full: frozenset[str]) -> Message:
    """A fitparse data message's fields (``FieldData``: ``name``, ``value``,
    ``raw_value``, ``field_def``) as a ``Message``."""
    wanted = wanted_fields(name, full)
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for f in fields:
        if getattr(f.field_def, "dev_data_index", None) is not None:
            continue  # a developer field
        field_name = f.name
        if wanted is None:
            values[field_name] = f.value
            raw[field_name] = f.raw_value
        elif field_name in wanted:
            values[field_name] = f.value
    return Message(name, values, raw)
