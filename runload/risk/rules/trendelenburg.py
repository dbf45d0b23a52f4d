"""``trendelenburg``: a positive Trendelenburg self-test (a weak glute medius: standing on
one leg, the other side of the pelvis dropped) in the days before."""

from __future__ import annotations

from runload.risk.rules.self_test import SelfTest


class Trendelenburg(SelfTest):
    code = "trendelenburg"
    summary = "a positive Trendelenburg self-test: a weak glute medius (the pelvis dropped)"
