"""The report as text for machines and documents: JSON, CSV (the day table) and Markdown
(the table view). Also owns the *table view* itself — which columns a person sees and how
each cell reads — so the terminal, Markdown and HTML tables say the same thing.
Nothing here computes a metric: it formats what ``runload.report`` produced, every number
worded by ``runload.wording``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from runload import __version__, wording
from runload.errors import shown_problems
from runload.render.safe import terminal_text
from runload.render.tables import (
    csv_text,
    dumps,
    json_rows,
    json_value,
    markdown_table,
)
from runload.schema import DAY_COLUMNS

if TYPE_CHECKING:
    import polars as pl

    from runload.report import Check, Report

VIEW_HEADER: tuple[str, ...] = (
    "date",
    "runs",
    "load",
    "long run",
    "sitting h",
    "ACWR",
    "risk",
    "reasons",
    "advice",
)
ESTIMATED_MARK = "*"
ESTIMATED_NOTE = "* load estimated: a run without heart rate"


def load_text(value: Any) -> str:
    """A day's load (TRIMP) as a whole number; empty when unknown (None or NaN)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return f"{value:.0f}"


def is_estimated(value: Any) -> bool:
    """``load_estimated`` may be a flag or the estimated part of the load."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return False


def reason_text(reason: Mapping[str, Any]) -> str:
    points = reason.get("points")
    detail = reason.get("detail") or reason.get("factor") or ""
    return f"+{points} {detail}" if points else str(detail)


def advice_title(advice: Mapping[str, Any]) -> str:
    return str(advice.get("title") or advice.get("code") or "")


def long_run_text(row: Mapping[str, Any]) -> str:
    parts = []
    if row.get("long_run"):
        parts.append("long")
    if row.get("long_run_spike"):
        parts.append("spike")
    return ", ".join(parts)


def day_view(row: Mapping[str, Any]) -> list[str]:
    """One day as the cells of ``VIEW_HEADER``."""
    runs = row.get("runs") or 0
    load = load_text(row.get("load")) if runs else ""
    if load and is_estimated(row.get("load_estimated")):
        load += ESTIMATED_MARK
    return [
        str(row["date"]),
        str(runs) if runs else "",
        load,
        long_run_text(row),
        wording.hours(row.get("sitting_hours")),  # cut: 9.999 h must not read as 10 h
        wording.ratio(row.get("acwr")),
        str(row.get("risk") or ""),
        "; ".join(reason_text(r) for r in row.get("reasons") or []),
        "; ".join(advice_title(a) for a in row.get("advice") or []),
    ]


def view_days(report: Report, *, all_days: bool = False) -> pl.DataFrame:
    """The days the table shows: the elevated and high ones, or every day."""
    return report.days if all_days else report.flagged_days()


def recent_cut(report: Report, *, all_days: bool = False) -> dt.date | None:
    """The first day the terminal lists flagged days from: ``Report.recent_from`` (the last
    ``RECENT_WEEKS`` of a longer period) when the whole data was read (no ``--from``/``--to``)
    and only the flagged days are listed (no ``--all``); None: list them all."""
    if all_days or report.period_asked:
        return None
    return report.recent_from


def recent_title(cut: dt.date) -> str:
    """The title of the flagged days listed from ``cut`` on."""
    from runload.report import RECENT_WEEKS

    return f"Elevated and high days of the last {RECENT_WEEKS} weeks (from {cut})"


def earlier_text(report: Report, earlier: pl.DataFrame) -> str:
    """The line under the recent flagged days: how many earlier ones there are, when, and
    how to list them."""
    dates = earlier.get_column("date")
    first, last = str(dates.min()), str(dates.max())
    n = earlier.height
    days = "day" if n == 1 else "days"
    return (
        f"{n} earlier elevated or high {days} ({first} to {last}) not listed: add --from "
        f"{report.period_from} to list every one, or --from/--to for a period (JSON and CSV "
        "keep every day)"
    )


def advice_legend(days: pl.DataFrame) -> list[dict[str, Any]]:
    """Each piece of advice shown in the table, once, in order of first appearance."""
    seen: dict[str, dict[str, Any]] = {}
    if "advice" not in days.columns:
        return []
    for advice in days.get_column("advice").to_list():
        for a in advice or []:
            seen.setdefault(str(a.get("code")), a)
    return list(seen.values())


def athlete_text(athlete: Iterable[Mapping[str, Any]]) -> str:
    parts = []
    for a in athlete:
        value = a.get("value")
        if value is None:
            continue
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        parts.append(f"{a.get('name')} {shown} ({a.get('source')})")
    return "; ".join(parts)


def period_text(report: Report) -> str:
    if report.period_from is None or report.period_to is None:
        return "no data in the period"
    n = (report.period_to - report.period_from).days + 1
    return f"{report.period_from} to {report.period_to} ({n} day{'' if n == 1 else 's'})"


def header_lines(report: Report) -> list[tuple[str, str]]:
    """The report header as (label, text) pairs."""
    s = report.summary
    distance = wording.distance_text(s.km, report.settings.display.units)
    runs = f"{s.runs} runs, {distance}, {wording.duration(s.run_minutes)}, {s.long_runs} long runs"
    if s.other_activities:
        runs += f"; {s.other_activities} other activities (no running load)"
    lines = [
        ("Period", period_text(report)),
        ("Running", runs),
        ("Risk days", f"{s.elevated_days} elevated, {s.high_days} high"),
    ]
    if report.athlete:
        lines.append(("Athlete", athlete_text(report.athlete)))
    return lines


# --- machine formats ---------------------------------------------------------------------------


def report_dict(report: Report) -> dict[str, Any]:
    """``{"runload_version", "display_units", "athlete", "period", "days", "activities",
    "duplicates", "no_activity", "problems"}``: day fields exactly ``DAY_COLUMNS`` (in km
    and minutes whatever the display units; ``display_units`` says what the reasons'
    ``detail`` sentences use); activity fields as ingest plus the load columns;
    ``duplicates`` the copies read and merged and ``no_activity`` the files that gave no
    activity, as ``runload ingest`` lists them."""
    from runload.copies import duplicates_frame
    from runload.ingest import no_activity_rows
    from runload.report import ACTIVITY_REPORT_COLUMNS

    return {
        "runload_version": report.version,
        "display_units": report.settings.display.units,
        "athlete": [{k: json_value(v) for k, v in a.items()} for a in report.athlete],
        "period": {
            "from": json_value(report.period_from),
            "to": json_value(report.period_to),
            "data_from": json_value(report.data_from),
            "data_to": json_value(report.data_to),
        },
        "days": json_rows(report.days, DAY_COLUMNS) if report.days.height else [],
        "activities": json_rows(report.activities, ACTIVITY_REPORT_COLUMNS),
        "duplicates": json_rows(duplicates_frame(report.duplicates)),
        "no_activity": no_activity_rows(report.no_activity),
        "problems": [p.to_dict() for p in report.problems],
    }


def report_json(report: Report) -> str:
    return dumps(report_dict(report)) + "\n"


def report_csv(report: Report) -> str:
    """The day table, one row per day of the period, ``DAY_COLUMNS``; reasons and advice as
    text (reason details and advice codes joined with ``; ``)."""
    if report.days.height == 0:
        return ",".join(DAY_COLUMNS) + "\n"
    return csv_text(report.days, DAY_COLUMNS)


def report_markdown(report: Report, *, all_days: bool = False) -> str:
    """The table view as Markdown: header, the days that matter, advice, problems."""
    out = ["# runload report", ""]
    out += [f"- **{label}:** {text}" for label, text in header_lines(report)]
    out.append("")
    days = view_days(report, all_days=all_days)
    if report.empty:
        out += ["No day to show in this period.", ""]
    elif days.height == 0:
        out += ["No elevated or high day in this period.", ""]
    else:
        rows = [day_view(r) for r in days.iter_rows(named=True)]
        out.append(markdown_table(VIEW_HEADER, rows))
        if any(r[2].endswith(ESTIMATED_MARK) for r in rows):
            out += [f"\\{ESTIMATED_NOTE}", ""]
    legend = advice_legend(days)
    if legend:
        out += ["## What to do", ""]
        for a in legend:
            out.append(f"- **{advice_title(a)}** — {a.get('text') or ''}")
            out += [f"  - {step}" for step in a.get("steps") or []]
        out.append("")
    if report.notes:
        out += [f"- Note: {terminal_text(n)}" for n in report.notes]
        out.append("")
    out += markdown_items("Problems", shown_problems(report.problems))
    out += markdown_items("Merged copies, each counted once", report.duplicates)
    from runload.report import DISCLAIMER

    out.append(f"_{DISCLAIMER}_")
    return "\n".join(out) + "\n"


def markdown_items(title: str, items: Iterable[object]) -> list[str]:
    """A section listing ``items`` (problems, merged copies) one per line, escaped; none
    when there are none."""
    lines = [f"- {terminal_text(str(item))}" for item in items]
    return [f"## {title}", "", *lines, ""] if lines else []


def check_dict(check: Check) -> dict[str, Any]:
    """The check as JSON-ready data (used by ``runload check --format json``): the problems,
    and the copies merged (``duplicates``, not problems)."""
    from runload.copies import duplicates_frame

    return {
        "runload_version": __version__,
        "display_units": check.display_units,
        "date": check.day.isoformat(),
        "risk": check.risk,
        "level": check.risk,  # the old name of "risk", kept for one release (0.2)
        "score": check.score,
        "level_note": check.level_note,
        "planned_minutes": check.planned_minutes,
        "sitting_hours": json_value(check.sitting_hours),
        "sitting_source": check.sitting_source,
        "acwr": json_value(check.acwr),
        "reasons": json_value(check.reasons),
        "advice": json_value(check.advice),
        "runs": json_value(check.runs),
        "notes": list(check.notes),
        "problems": [p.to_dict() for p in check.problems],
        "duplicates": json_rows(duplicates_frame(check.duplicates)),
    }


def check_lines(check: Check) -> list[str]:
    """The check in a few plain lines: level, why, and the steps (the terminal adds colour)."""
    what = f"{check.day}"
    if check.planned_minutes is not None:
        what += f", planned run {wording.duration(check.planned_minutes)}"
    lines = [f"{what}: {wording.level_text(check.risk, check.score, check.level_why)}"]
    if check.sitting_hours is not None:
        source = (check.sitting_source or "").replace("_", " ")
        lines.append(f"Sitting that day: {wording.hours(check.sitting_hours)} h ({source})")
    if check.reasons:
        lines.append("Why:")
        lines += [f"  {reason_text(r)}" for r in check.reasons]
        if check.level_note:
            lines.append(f"  {check.level_note}")
    else:
        lines.append("Why: nothing stands out.")
    if check.advice:
        lines.append("What to do:")
        for a in check.advice:
            lines.append(f"  {advice_title(a)}:")
            lines += [f"    - {s}" for s in a.get("steps") or []]
    lines += [f"Note: {n}" for n in check.notes]
    return lines
