"""The week plan (``runload plan``) as JSON-ready data and as plain lines for the terminal.
Formats only; never computes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runload import wording
from runload.render.formats import reason_text

if TYPE_CHECKING:
    from runload.plan import Plan, PlanDay


def _day(d: PlanDay) -> dict[str, Any]:
    return {
        "date": d.date.isoformat(),
        "weekday": d.weekday,
        "sitting_hours_expected": d.sitting_hours,
        "sitting_source": d.sitting_source,
        "sitting_from": d.sitting_kind,
        "other_runs_minutes": list(d.runs),
        "risk": d.risk,
        "score": d.score,
        "reasons": d.reasons,
        "best": d.best,
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """``{"display_units", "week_of", "long_minutes", "days": [{"date", "weekday",
    "sitting_hours_expected", "risk", "reasons", "best", ...}], "best", "history", "notes",
    "problems"}`` (``display_units``: what the reasons' details use)."""
    from runload import __version__
    from runload.render.tables import json_value

    return {
        "runload_version": __version__,
        "display_units": plan.display_units,
        "week_of": plan.week_of.isoformat(),
        "long_minutes": plan.long_minutes,
        "days": [json_value(_day(d)) for d in plan.days],
        "best": plan.best.date.isoformat(),
        "history": plan.history,
        "notes": list(plan.notes),
        "problems": [p.to_dict() for p in plan.problems],
    }


def _sitting(d: PlanDay) -> str:
    if d.sitting_hours is None:
        return "unknown"
    mark = "" if d.sitting_kind == "logged" else " expected"
    device = " (device)" if d.sitting_source == "device" else ""
    return f"{wording.hours(d.sitting_hours)} h{mark}{device}"


def plan_lines(plan: Plan) -> list[str]:
    """A line per day (weekday, date, sitting, other runs, the risk with the long run there),
    its reasons indented under it, then the best day."""
    long = wording.duration(plan.long_minutes)
    lines = [f"Week of {plan.week_of}: the {long} long run on each day"]
    for d in plan.days:
        runs = ", ".join(wording.duration(m) for m in d.runs)
        other = f"; planned {runs}" if runs else ""
        mark = "  ← best" if d.best else ""
        lines.append(
            f"{d.date:%a} {d.date}  sitting {_sitting(d)}{other}: "
            f"{wording.level_text(d.risk, d.score)}{mark}"
        )
        lines += [f"    {reason_text(r)}" for r in d.reasons]
    best = plan.best
    lines.append(
        f"Best day for the long run: {best.date:%A} {best.date} ({best.risk}; among equal risks "
        "the least sitting, then the earliest)"
    )
    lines += [f"Note: {n}" for n in plan.notes]
    return lines
