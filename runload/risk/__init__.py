"""The risk of a day: points per factor, each with a reason the runner can read (and the
numbers behind it: ``REASON_DTYPE``), and the level (low / elevated / high).

The public surface; each concept lives in its own module:

- ``rule`` — what a risk factor is (``Rule``), the reason's shape;
- ``rules`` — the registry ``RULES``, one module per factor: ``sitting``,
  ``sitting_streak``, ``long_run``, ``long_run_spike``, ``load_spike``, ``monotony``,
  ``symptoms``;
- ``frame`` — the day frame the rules read (the sitting exposure, the day's run details);
- ``score`` — ``score_days``: the loop over the rules, the reasons per day, the level;
- ``docs`` — the factor table of docs/method.md, generated from the rules.
"""

from __future__ import annotations

from runload.risk.frame import sitting_exposure
from runload.risk.rule import REASON_DTYPE, Rule, hour_decimals
from runload.risk.rules import RULES
from runload.risk.score import LEVELS, factors, held_back, rules_for, score_days

FACTORS = factors()
SITTING_FACTORS = factors("sitting")
# Units a reason's value may carry: "h" (sitting exposure), "days" (streak), "min" or "km"
# (long run, spike), "ratio" (ACWR, monotony), "/10" (numbness).
UNITS = ("h", "days", "min", "km", "ratio", "/10")

__all__ = [
    "FACTORS",
    "LEVELS",
    "REASON_DTYPE",
    "RULES",
    "SITTING_FACTORS",
    "UNITS",
    "Rule",
    "factors",
    "held_back",
    "hour_decimals",
    "rules_for",
    "score_days",
    "sitting_exposure",
]
