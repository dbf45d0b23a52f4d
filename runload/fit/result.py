"""What every activity reader gives back (FIT, GPX, TCX, a Fitbit exercise log): a
``FitResult`` of ``SessionData`` rows, problems and athlete facts, plain Python data
(picklable, no fitparse objects) so that worker processes return it cheaply and the cache
can store it (``runload.entries``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from runload.errors import Problem, Severity
from runload.fit.decoder import PUBLIC

MAX_SESSION_S = 48 * 3600  # no session is longer: a longer span is a clock error

# Bump when the meaning of a parsed result changes: it is part of the cache key (here, with
# the result, so that making a key imports no reader).
PARSER_VERSION = "6"


@dataclass
class SessionData:
    """One session (or the session built from the records of a file without one)."""

    index: int
    sport: str | None
    sub_sport: str | None
    start_unix: int | None  # UTC, Unix seconds
    moving_s: float | None
    elapsed_s: float | None
    distance_m: float | None
    avg_hr: float | None
    max_hr: float | None
    ascent_m: float | None
    has_gps: bool
    hr_t: list[float] = field(default_factory=list)  # seconds from start
    hr_bpm: list[float] = field(default_factory=list)
    from_records: bool = False
    filled: list[str] = field(default_factory=list)  # values taken from the records
    hr_zeros: int = 0  # records of its time with a heart rate of 0 (not in ``hr_bpm``)
    # (``hrsummary.hr_summary`` of the samples, when the reader's process made it)
    summary: tuple[float | None, list[dict[str, float | int]] | None] | None = None


@dataclass
class FitResult:
    """Everything runload keeps from one FIT file."""

    path: str
    kind: str | None = None  # file_id.type: "activity", "monitoring_b", "settings", ...
    sessions: list[SessionData] = field(default_factory=list)
    utc_offset_s: int | None = None  # from the activity message, when plausible
    device: str | None = None
    facts: list[tuple[str, str | float]] = field(default_factory=list)  # (name, value)
    problems: list[Problem] = field(default_factory=list)
    decoder: str = PUBLIC  # which decoder read the file: "fast" or "public"
    note: str | None = None  # why this process did not use the fast decoder

    def problem(
        self, severity: Severity, message: str, offset: int | None = None, *, code: str = ""
    ) -> None:
        """Record a problem of this file (``code``: ``runload.codes``)."""
        self.problems.append(Problem(self.path, severity, message, offset=offset, code=code))
