"""``thomas``: a positive Thomas self-test (a tight hip flexor: lying on the edge of a bed
with the other knee to the chest, the thigh lifted) in the days before."""

from __future__ import annotations

from runload.risk.rules.self_test import SelfTest


class Thomas(SelfTest):
    code = "thomas"
    summary = "a positive Thomas self-test: a tight hip flexor (the thigh lifted)"
