"""Durations people type: the ``h`` form follows the same rule as ``1:30`` (minutes 0–59)."""

from __future__ import annotations

import pytest

from runload.units import parse_duration_minutes, parse_hours


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("1h30", 90.0), ("1h", 60.0), ("1.5h", 90.0), ("1h 5 min", 65.0), ("1h59", 119.0)],
)
def test_hours_and_minutes(text: str, minutes: float) -> None:
    assert parse_duration_minutes(text) == minutes


@pytest.mark.parametrize("text", ["1h90", "9h75", "1h60", "1.5h30"])
def test_minutes_past_59_after_hours_are_refused_like_1_75(text: str) -> None:
    # "1:75" is refused; "1h75" must not quietly read as 2 h 15 min.
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration_minutes(text)
    with pytest.raises(ValueError, match="is not a duration"):
        parse_hours(text)
