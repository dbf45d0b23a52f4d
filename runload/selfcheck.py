"""The self-check (``runload selfcheck``): two self-tests and where it hurts, recorded in the
sitting log the runner already keeps.

Owns the guide (``GUIDE``: each test's steps in plain words and its question, about two
minutes in all) and ``selfcheck``, the library call behind the command: the findings of one
day written into that day's row of the log, in their own columns (``runload.body``:
``trendelenburg``, ``thomas``, ``pain``), with ``sitting add``'s lock, encoding and atomic
write; a day without a row gets one without hours. A self-check, not a diagnosis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from runload.body import SELFCHECK_FIELDS, pain_cell, parse_pain, parse_side
from runload.errors import InputError
from runload.sitting.add import set_day_fields

NOT_A_DIAGNOSIS = (
    "A self-check, not a diagnosis: pain that stays, or a test that stays positive for two "
    "weeks, is worth a physiotherapist's look."
)


@dataclass(frozen=True)
class Step:
    """One part of the guide: a title, what to do, and the question after it."""

    key: str
    title: str
    how: tuple[str, ...]
    question: str


GUIDE: tuple[Step, ...] = (
    Step(
        "trendelenburg",
        "Trendelenburg test (glute medius), about a minute",
        (
            "Stand in front of a mirror, feet hip-width apart, hands on your hips.",
            "Lift the right foot and stand on the left leg for 30 seconds.",
            "Watch your hips: does the right hip (the lifted side) drop below the left?",
            "Then lift the left foot and stand on the right leg for 30 seconds.",
        ),
        "On which standing leg did the other hip drop? "
        "(left: standing on the left leg, the right hip dropped)",
    ),
    Step(
        "thomas",
        "Thomas test (hip flexors), about a minute",
        (
            "Sit on the very edge of a bed or a sturdy table and lie back.",
            "Pull the right knee to your chest with both hands and let the left leg hang.",
            "Does the back of the left thigh lift off the bed? That hip flexor is tight.",
            "Then pull the left knee in and watch the right thigh.",
        ),
        "Which thigh lifted off the bed?",
    ),
    Step(
        "pain",
        "Where it hurts",
        (
            "Think of today and yesterday: pain at the glute, hip, knee, lower back,",
            "the back of the thigh (hamstring), or running down the leg?",
        ),
        "Where? (glute, hip, knee, lower_back, hamstring, leg; several joined with +; none)",
    ),
)


@dataclass(frozen=True)
class SelfCheckResult:
    """What ``selfcheck`` wrote (``written``: column → the cell), what the day's self-check
    columns held before (None: no row of that day), and whether the log is new."""

    path: Path
    day: dt.date
    written: dict[str, str]
    previous: dict[str, str] | None = None
    created: bool = False
    notes: list[str] = field(default_factory=list)


def selfcheck(
    log: str | Path,
    day: dt.date,
    *,
    trendelenburg: str | None = None,
    thomas: str | None = None,
    pain: tuple[str, ...] | list[str] = (),
) -> SelfCheckResult:
    """Record one day's self-check in the sitting log ``log``: each test's side
    (``none|left|right|both``; a test not done is left empty) and the pain sites (none
    when ``pain`` is empty). A second self-check of the same day replaces the first's
    columns; the day's sitting and other columns stay. ``InputError`` naming a bad value."""
    values: dict[str, str] = {}
    try:
        if trendelenburg is not None:
            values["trendelenburg"] = parse_side(trendelenburg, "--trendelenburg")
        if thomas is not None:
            values["thomas"] = parse_side(thomas, "--thomas")
        sites = [s for text in pain for s in parse_pain(text)]
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not values:
        raise InputError("a self-check needs at least one test (--trendelenburg, --thomas)")
    values["pain"] = pain_cell(sites)
    previous, created = set_day_fields(log, day, values, SELFCHECK_FIELDS)
    return SelfCheckResult(Path(log), day, values, previous, created)
