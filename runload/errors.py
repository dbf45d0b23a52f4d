"""Precise error types, and the ``Problem`` record that bad input becomes.

Library code raises these (never ``SystemExit``, never prints); batch readers
turn them into ``Problem`` entries so one bad file never stops the rest.
The CLI turns an uncaught ``RunloadError`` into a one-line message. Every problem carries
a stable ``code`` from ``runload.codes`` (given where it is made; else the error class's,
else ``codes.fallback_code``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from runload.codes import fallback_code

# "error": the input (or part of it) could not be used; "warning": something the runner sees
# is not what the file says, or rests on a guess; "info": a note that changes nothing the
# runner sees (a file's odd but harmless layout), shown only with --verbose and in JSON.
Severity = Literal["error", "warning", "info"]


def path_text(path: str | os.PathLike[str] | None) -> str | None:
    """A path as text that can always be printed: a file name that is not valid UTF-8 keeps
    its bytes as surrogate escapes (``os.fsdecode``) and is shown with ``\\x..`` escapes."""
    if path is None:
        return None
    text = os.fsdecode(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class RunloadError(Exception):
    """Base of every error runload raises on purpose; its text is for the user.

    ``message`` is the plain sentence; ``path``, ``line`` and ``offset`` (a byte) say where,
    when known; ``code`` which kind of problem it is (``runload.codes``; default: the
    class's ``default_code``). ``str()`` is the one-line form ``path:line: message``;
    ``problem()`` the ``Problem`` a batch reader records, built from the fields (never
    parsed back from text).
    """

    default_code: ClassVar[str] = ""  # "": the problem's fallback (``codes.fallback_code``)

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        offset: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path_text(path)
        self.line = line
        self.offset = offset
        self.code = code or self.default_code

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def problem(self, severity: Severity = "error", path: str | None = None) -> Problem:
        """This error as a ``Problem`` of ``path`` (default: its own path)."""
        where = path or self.path or ""
        return Problem(where, severity, self.message, self.line, self.offset, self.code)


class InputError(RunloadError):
    """A file or value given by the user cannot be used."""


class FitError(InputError):
    """A FIT file cannot be decoded at all."""

    default_code = "fit.other"


class NotFitError(FitError):
    """The bytes are not a FIT file (empty, no .FIT signature, bad header)."""

    default_code = "fit.not_fit"


class SittingError(InputError):
    """A sitting source cannot be read (unsupported kind, missing columns)."""

    default_code = "sitting.unreadable"


class ConfigError(InputError):
    """The configuration file is broken or has unknown keys or wrong types."""


class NamedPathError(InputError):
    """A path the user named (a PATH or ``--sitting`` on the command line, a path written
    in ``runload.toml``) does not exist or cannot be read: a usage mistake (exit 2), raised
    before anything is read, so no risk is ever computed without it. Files inside a named
    folder or archive are not this: each is one ``Problem`` and the rest goes on."""


class CacheError(RunloadError):
    """A cache entry cannot be read or written (it is then re-parsed, never fatal)."""

    default_code = "cache.failed"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, in plain words.

    ``line`` and ``offset`` (a byte) say where, when known. ``code`` says which kind of
    problem it is (``runload.codes.CODES``: ``fit.truncated``, ``gzip.bad``...): the
    terminal groups problems by it and JSON carries it; made without one, a problem gets
    ``codes.fallback_code`` of its path (``fit.other``...). ``str()`` gives the one-line
    form the CLI prints: ``path:14: message`` / ``path: message (at byte 1234)``.
    """

    path: str
    severity: Severity
    message: str
    line: int | None = None
    offset: int | None = None
    code: str = ""

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", fallback_code(self.path))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        text = f"{where}: {self.message}"
        if self.offset is not None and "byte" not in self.message:
            text += f" (at byte {self.offset})"
        if self.severity == "error":
            return text
        return f"{text} [{'note' if self.severity == 'info' else 'warning'}]"

    def to_dict(self) -> dict[str, object]:
        """The JSON form: ``path``, ``severity``, ``code``, ``message``, ``line``, ``offset``."""
        return {
            "path": self.path,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "offset": self.offset,
        }


def shown_problems(problems: Iterable[Problem], *, verbose: bool = False) -> list[Problem]:
    """The problems a runner is shown: all of them with ``verbose``, else all but the
    ``info`` notes (which change nothing the runner sees). Every renderer without a
    ``--verbose`` of its own (HTML, Markdown) and every count of problems goes through
    here; JSON keeps them all."""
    return [p for p in problems if verbose or p.severity != "info"]


class UnsupportedSittingSourceError(SittingError):
    """A file is not one of the sitting sources runload reads (the text names them)."""

    default_code = "sitting.unsupported"


class EmptySittingSourceError(SittingError):
    """A sitting source holds nothing (an empty file): a warning, as a zip or folder without
    sitting is, never an error while a source with bad rows is one."""


class SittingLogDateExistsError(SittingError):
    """``sitting add`` was asked to add a date the log already has (without --replace)."""


class WakingWindowError(SittingError, ValueError):
    """The waking window (config ``sitting.waking_start``/``waking_end``) is not a window."""


class PlannedRunError(InputError):
    """The planned run of ``check --planned`` cannot be placed (no length, no date)."""


class DateRangeError(InputError):
    """A day asked about lies too far ahead (``runload.span.refuse_far_day``)."""


class NothingToCheckError(InputError):
    """``check`` found no run on or before the day; ``problems`` are the input problems met
    on the way (unreadable files...), so the command can list them before the one-line error."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])
