"""The registered risk rules, one module each. ``RULES`` is the registry: scoring loops over
it, the docs' factor table is generated from it, and its order is the order of a day's
reasons (the sitting first, then the runs, then the body and its signs)."""

from __future__ import annotations

from runload.risk.rule import Rule
from runload.risk.rules.load_spike import LoadSpike
from runload.risk.rules.long_run import LongRun
from runload.risk.rules.long_run_spike import LongRunSpike
from runload.risk.rules.monotony import Monotony
from runload.risk.rules.pain import Pain
from runload.risk.rules.sitting import Sitting
from runload.risk.rules.sitting_streak import SittingStreak
from runload.risk.rules.symptoms import Symptoms
from runload.risk.rules.thomas import Thomas
from runload.risk.rules.trendelenburg import Trendelenburg
from runload.risk.rules.unbroken_sitting import UnbrokenSitting

RULES: tuple[type[Rule], ...] = (
    Sitting,
    SittingStreak,
    UnbrokenSitting,
    LongRun,
    LongRunSpike,
    LoadSpike,
    Monotony,
    Symptoms,
    Trendelenburg,
    Thomas,
    Pain,
)
