"""The factor table of docs/method.md, generated from the registered rules (``RULES``), so
the docs say what the code does: ``python tools/settings_docs.py`` writes it between
``<!-- factor-table -->`` and ``<!-- /factor-table -->``, and a test fails when it drifts."""

from __future__ import annotations

from runload.config import Settings
from runload.risk.score import rules_for

GROUP_WORDS = {"sitting": "sitting", "run": "running", "body": "body", "sign": "self-check"}


def factor_table(settings: Settings | None = None) -> str:
    """One Markdown row per rule: its code, group, what it looks at, its rule (with the
    settings keys and their values) and its points."""
    lines = [
        "| factor | kind | what it looks at | rule | points |",
        "|---|---|---|---|---|",
    ]
    for rule in rules_for(settings or Settings()):
        lines.append(
            f"| `{rule.code}` | {GROUP_WORDS[rule.group]} | {rule.summary} | {rule.rule_text()} "
            f"| {rule.points_text()} |"
        )
    return "\n".join(lines) + "\n"
