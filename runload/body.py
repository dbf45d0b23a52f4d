"""What the body says, as values: the two self-tests of ``runload selfcheck`` and the pain
sites, how they are written in the sitting log, read back and worded.

* **Trendelenburg** (single-leg stance, 30 s per side, in front of a mirror): the value names
  the *standing* leg whose glute medius let the pelvis drop on the other side — ``left``
  means: standing on the left leg, the right hip dropped (the left glute medius is weak).
* **Thomas** (lying on the edge of a bed, one knee pulled to the chest): the value names the
  leg whose thigh lifted off the bed — ``left``: the left hip flexor is tight.
* Values: ``none | left | right | both``; pain sites from ``PAIN_SITES``, several in one cell
  joined with ``+`` (neither a log delimiter nor a decimal mark), ``none`` for no pain.

A self-check, not a diagnosis. Nothing here reads files or computes a risk.
"""

from __future__ import annotations

SIDES = ("none", "left", "right", "both")
PAIN_SITES = ("glute", "hip", "knee", "lower_back", "hamstring", "leg")
SITE_JOIN = "+"
NO_PAIN = "none"
TESTS = ("trendelenburg", "thomas")
TEST_NAMES = {"trendelenburg": "Trendelenburg", "thomas": "Thomas test"}
# The columns a self-check writes into the sitting log (``runload selfcheck`` owns them).
SELFCHECK_FIELDS = ("trendelenburg", "thomas", "pain")


def parse_side(text: str, test: str = "the test") -> str:
    """``Left`` → ``left``; ValueError naming the accepted values."""
    value = text.strip().lower()
    if value not in SIDES:
        raise ValueError(f'{test} "{text}" is not one of {", ".join(SIDES)}')
    return value


def parse_pain(text: str) -> tuple[str, ...]:
    """``knee+lower_back`` (or ``knee, lower back``) → the sites, in ``PAIN_SITES`` order;
    ``none`` → (); ValueError naming a site that is not one of ``PAIN_SITES``."""
    value = text.strip().lower()
    if value in ("", NO_PAIN):
        return ()
    parts = [
        p.strip().replace(" ", "_").replace("-", "_") for p in value.replace(",", "+").split("+")
    ]
    wrong = [p for p in parts if p and p not in PAIN_SITES]
    if wrong:
        raise ValueError(
            f'pain site "{wrong[0]}" is not one of {", ".join(PAIN_SITES)} (join several with +)'
        )
    return tuple(s for s in PAIN_SITES if s in parts)


def pain_cell(sites: tuple[str, ...] | list[str]) -> str:
    """The log's cell for ``sites``: ``knee+lower_back``, or ``none``."""
    ordered = [s for s in PAIN_SITES if s in sites]
    return SITE_JOIN.join(ordered) if ordered else NO_PAIN


def site_words(cell: str) -> str:
    """``knee+lower_back`` → ``the knee and the lower back``."""
    names = [f"the {s.replace('_', ' ')}" for s in cell.split(SITE_JOIN) if s]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def finding_words(test: str, side: str) -> str:
    """What a positive test found, in the runner's words, for its side."""
    if test == "trendelenburg":
        if side == "both":
            return "on either leg the other hip dropped (both glute medius muscles)"
        other = "right" if side == "left" else "left"
        return f"standing on the {side} leg, the {other} hip dropped ({side} glute medius)"
    if side == "both":
        return "both thighs lifted (both hip flexors tight)"
    return f"the {side} thigh lifted ({side} hip flexor tight)"


def side_words(side: str) -> str:
    """``left`` → ``the left side``; ``both`` → ``both sides``."""
    return "both sides" if side == "both" else f"the {side} side"
