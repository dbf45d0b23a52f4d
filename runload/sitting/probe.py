"""One sitting source looked at lazily (``Probe``): its first bytes, then only what a
detector or a reader asks for (its text, JSON, CSV header, FIT file type). The detectors
(``detect``) and the readers of every kind share one probe, so each source is read once;
this module sits below both.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from runload import jsontext
from runload.errors import SittingError, path_text
from runload.sitting.log import has_log_columns
from runload.sitting.text import (
    Table,
    column_name,
    json_items,
    looks_like_json,
    read_table,
    read_text,
    table_header,
    utf16_of,
)

FITBIT_DAILY_COLUMNS = frozenset({"activitydate", "sedentaryminutes"})


class Probe:
    """A source looked at lazily: its first bytes, then (only if needed) its text, JSON or
    CSV header. Detectors share one probe so each source is read once.

    ``Probe(path)`` is a file on disk; ``Probe.of_bytes(data, name)`` a zip member (or
    any bytes) shown as ``name``, e.g. ``export.zip:DI_CONNECT/.../UDSFile_1.json``,
    the convention of ``runload.inputs``. ``path`` is None for bytes; ``basename`` is
    the last part of the file or member name either way."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path: Path | None = path
        self.name = name or path_text(path) or ""
        self.basename = path.name
        self._data: bytes | None = None
        self.decode_error: SittingError | None = None  # why ``text`` is None, if known
        self.decode_warning: SittingError | None = None  # how ``text`` was read, if not UTF-8
        self.too_deep = False  # JSON nested too deeply to parse
        self.json_error: SittingError | None = None  # JSON with a value it cannot hold
        with path.open("rb") as fh:
            self.head = fh.read(4096)

    @classmethod
    def of_bytes(cls, data: bytes, name: str, basename: str | None = None) -> Probe:
        probe = cls.__new__(cls)
        probe.path = None
        probe.name = name
        probe.basename = basename or PurePosixPath(name.rsplit(":", 1)[-1]).name
        probe._data = data
        probe.decode_error = None
        probe.decode_warning = None
        probe.too_deep = False
        probe.json_error = None
        probe.head = data[:4096]
        return probe

    def data(self) -> bytes:
        """All the bytes (read from disk for a file, each time: the readers read once)."""
        if self._data is not None:
            return self._data
        assert self.path is not None
        return self.path.read_bytes()

    @property
    def is_zip(self) -> bool:
        return self.head[:4] == b"PK\x03\x04"

    @property
    def is_fit(self) -> bool:
        return len(self.head) >= 12 and self.head[8:12] == b".FIT"

    @property
    def is_xml(self) -> bool:
        """XML (an Apple Health export, a GPX...): never read whole as text to detect it."""
        return self.head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"

    @cached_property
    def text(self) -> str | None:
        """The text (UTF-8, UTF-16 or Windows-1252: ``text.read_text``; ``decode_warning``
        says when it was not plain UTF-8); None for what is not text."""
        if self.is_fit or self.is_zip or self.is_xml:
            return None
        if b"\x00" in self.head and utf16_of(self.head) is None:
            return None
        try:
            text, self.decode_warning = read_text(self.data(), self.name)
        except SittingError as exc:
            self.decode_error = exc
            return None
        return text

    @cached_property
    def json(self) -> Any:
        if self.text is None or not looks_like_json(self.text):
            return None
        try:
            return jsontext.loads(self.text)
        except jsontext.NumberTooLongError as exc:  # a file it is, but not one to read
            self.json_error = SittingError(
                f"holds {exc.msg}: not read", path=self.name, line=exc.lineno, code="json.number"
            )
            return None
        except json.JSONDecodeError:
            return None
        except RecursionError:
            self.too_deep = True
            return None

    @property
    def unreadable_json(self) -> bool:
        """JSON that cannot be read to tell what it is (nested too deeply, a number too
        long): read as a source anyway, it is one problem naming the file."""
        return self.json is None and (self.too_deep or self.json_error is not None)

    @cached_property
    def csv_columns(self) -> list[str]:
        """The header row of a table as written (trimmed, lower case): for messages. Empty
        for JSON and for what is not text."""
        if self.text is None or looks_like_json(self.text):
            return []
        header = table_header(self.text, _known_table)
        return [c.strip().lstrip("\ufeff").strip().lower() for c in header]

    @cached_property
    def csv_names(self) -> list[str]:
        """The header row as ``column_name``s: for telling kinds apart."""
        return [column_name(c) for c in self.csv_columns]

    @cached_property
    def table(self) -> Table:
        """The whole table, split as its header was (for the reader of its kind)."""
        return read_table(self.text or "", _known_table)

    @cached_property
    def fit_type(self) -> str | None:
        """``file_id.type`` of a FIT file (``monitoring_b``, ``activity``...), or None."""
        if not self.is_fit:
            return None
        from runload.fit import file_type

        return file_type(self.head)

    @cached_property
    def json_items(self) -> list[tuple[int | None, Any]]:
        """The day objects with the line each starts on (None when not known)."""
        if self.json is None:
            return []
        try:
            return list(json_items(self.text or ""))
        except (json.JSONDecodeError, ValueError):
            return [(None, obj) for obj in self.json_objects()]

    def json_objects(self) -> list[Any]:
        data = self.json
        if isinstance(data, dict):
            return [data]
        return data if isinstance(data, list) else []


def _known_table(names: list[str]) -> bool:
    """A header with the columns of a table runload reads (a log, a Fitbit daily CSV)."""
    return has_log_columns(names) or set(names) >= FITBIT_DAILY_COLUMNS
