"""Apple Health exports: stand hours as a sitting proxy, from small synthetic exports written
by ``tools.applegen`` (Apple's XML declaration, DOCTYPE with an internal subset, ``ExportDate``,
``Me``, other record types that must be ignored)."""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.sitting import ReadContext, detect, read_sitting, read_sitting_file
from runload.sitting.apple import is_apple_export, read_apple
from runload.sitting.probe import Probe
from tools.applegen import (
    export_text,
    others,
    stand_hour,
    write_big_export,
    write_export,
    write_zip,
    year_of_stand_hours,
)

D = dt.date
CET = dt.timezone(dt.timedelta(hours=1))
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
CTX = ReadContext(today=D(2026, 12, 31), waking=(dt.time(7), dt.time(23)))


def at(day: dt.date, hour: int, minute: int = 0, tz: dt.timezone = CET) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tz)


def day_of(day: dt.date, idle: set[int], hours: range = range(7, 23)) -> list[str]:
    """Stand hours of ``day`` (idle in the hours of ``idle``, stood otherwise) among
    other records."""
    start = at(day, 0)
    return [others(start)] + [stand_hour(at(day, h), stood=h not in idle) for h in hours]


def rows(read) -> list[tuple]:
    return read.days.select("date", "sitting_hours", "source_kind").rows()


def test_idle_hours_inside_the_waking_window_per_day(tmp_path: Path) -> None:
    # 06:00 and 23:00 are outside 07:00–23:00: idle there is sleep or evening, not counted.
    records = (
        day_of(D(2026, 3, 2), idle={6, 7, 8, 10, 11, 13, 14, 16, 17, 19, 20, 21, 22, 23},
               hours=range(6, 24))
        + day_of(D(2026, 3, 3), idle={10, 11})
    )  # fmt: skip
    path = write_export(tmp_path / "export.xml", records)
    assert detect(path) == "apple_stand_hours"
    read = read_apple(path, CTX)
    assert read.problems == []
    assert read.kind == "apple_stand_hours"
    assert rows(read) == [(D(2026, 3, 2), 12.0, "device"), (D(2026, 3, 3), 2.0, "device")]
    assert read.days["source"].to_list() == [str(path)] * 2


def test_an_hour_straddling_the_window_edges_counts_its_part_inside(tmp_path: Path) -> None:
    # In India (+05:30) the watch's hours run 06:30–07:30 ... 22:30–23:30.
    day = D(2026, 3, 4)
    records = [stand_hour(at(day, 6, 30, IST), stood=False)]  # 0.5 h inside
    records += [stand_hour(at(day, h, 30, IST), stood=True) for h in range(7, 22)]
    records += [stand_hour(at(day, 22, 30, IST), stood=False)]  # 0.5 h inside
    read = read_apple(write_export(tmp_path / "export.xml", records), CTX)
    assert read.problems == []
    assert rows(read) == [(day, 1.0, "device")]


def test_a_day_under_half_recorded_is_unknown_with_a_warning(tmp_path: Path) -> None:
    records = (
        day_of(D(2026, 3, 5), idle={7, 8}, hours=range(7, 14))  # 7 h of the 16 h window
        + day_of(D(2026, 3, 6), idle={7, 8, 9}, hours=range(7, 15))  # 8 h: exactly half
        + [stand_hour(at(D(2026, 3, 7), 2), stood=False)]  # only at night
    )
    path = write_export(tmp_path / "export.xml", records)
    read = read_apple(path, CTX)
    assert rows(read) == [(D(2026, 3, 6), 3.0, "device")]
    assert [str(p) for p in read.problems] == [
        f"{path}: 2026-03-05: Apple Watch stand hours cover only 7.0 h of the 07:00–23:00 "
        "waking window; left unknown [warning]",
        f"{path}: 2026-03-07: Apple Watch stand hours cover none of the 07:00–23:00 "
        "waking window; left unknown [warning]",
    ]


def test_the_same_hour_recorded_twice_counts_once(tmp_path: Path) -> None:
    day = D(2026, 3, 9)
    records = day_of(day, idle={9, 10, 11})
    # A second watch, and a re-export written in UTC: the same hours again.
    records += [stand_hour(at(day, h), stood=False, source="Old Watch") for h in range(7, 23)]
    utc = dt.UTC
    records += [stand_hour(at(day, h, tz=utc) - dt.timedelta(hours=1), False) for h in (9, 10)]
    read = read_apple(write_export(tmp_path / "export.xml", records), CTX)
    assert read.problems == []
    # Idle in every copy: 9, 10, 11; the other hours are stood in one copy (stood wins).
    assert rows(read) == [(day, 3.0, "device")]


def test_zip_export_and_folder_walk(tmp_path: Path) -> None:
    text = export_text(day_of(D(2026, 3, 2), idle={7, 8, 9, 10}))
    folder = tmp_path / "exports"
    folder.mkdir()
    archive = write_zip(folder / "export.zip", text)
    (folder / "notes.txt").write_text("not sitting\n")
    assert is_apple_export(archive)
    member = f"{archive}:apple_health_export/export.xml"
    for source in (archive, folder):
        result = read_sitting([source])
        assert result.problems == []
        assert result.days.select("date", "sitting_hours", "source", "source_kind").rows() == [
            (D(2026, 3, 2), 4.0, member, "device")
        ]
    top = write_zip(tmp_path / "top.zip", text, member="export.xml")
    assert read_sitting([top]).days["sitting_hours"].to_list() == [4.0]


def test_other_zips_and_xml_files_are_not_apple_exports(tmp_path: Path) -> None:
    other = write_zip(tmp_path / "other.zip", "<gpx/>", member="run.gpx")
    gpx = tmp_path / "run.gpx"
    gpx.write_text('<?xml version="1.0"?>\n<gpx version="1.1"><trk/></gpx>\n')
    assert not is_apple_export(other)
    assert not is_apple_export(gpx)
    assert detect(gpx) is None
    with pytest.raises(Exception, match="an XML file that is not an Apple Health export"):
        read_sitting_file(gpx, CTX)


def test_detection_reads_only_the_first_bytes_of_an_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_export(tmp_path / "export.xml", day_of(D(2026, 3, 2), idle=set()))

    def whole(self: Path) -> bytes:
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", whole)
    monkeypatch.setattr(Path, "read_text", whole)
    assert Probe(path).text is None
    assert detect(path, strict=True) == "apple_stand_hours"


def test_truncated_xml_is_an_error_with_its_line_and_keeps_earlier_days(tmp_path: Path) -> None:
    text = export_text(
        day_of(D(2026, 3, 2), idle={7, 8}) + day_of(D(2026, 3, 3), idle={9}), tail=False
    )
    cut = text[: text.rindex("HKCategoryValueAppleStandHour")]  # in the last record
    path = tmp_path / "export.xml"
    path.write_text(cut)
    result = read_sitting([path])
    assert result.days.select("date", "sitting_hours").rows() == [
        (D(2026, 3, 2), 2.0),
        (D(2026, 3, 3), 1.0),
    ]
    error, kept = result.problems
    assert (error.severity, error.line) == ("error", cut.count("\n") + 1)
    assert error.message.startswith("broken XML: unclosed token at column 2")
    assert kept.severity == "warning"
    assert kept.message.startswith("2 day(s) of stand hours read before the break are kept")
    assert result.has_errors


def test_an_export_without_stand_hours_is_a_warning(tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.xml", [others(at(D(2026, 3, 2), 0))])
    result = read_sitting([path])
    assert result.days.is_empty()
    assert [str(p) for p in result.problems] == [
        f"{path}: the export has no Apple Watch stand hours "
        "(HKCategoryTypeIdentifierAppleStandHour): no sitting read from it [warning]"
    ]


def test_sitting_show_reads_the_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_zip(tmp_path / "export.zip", export_text(day_of(D(2026, 3, 2), idle={7, 12, 13})))
    res = CliRunner().invoke(main, ["sitting", "show", "export.zip", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == [
        {
            "date": "2026-03-02",
            "sitting_hours": 3.0,
            "source": "export.zip:apple_health_export/export.xml",
            "source_kind": "device",
            "numbness": None,
            "seat": None,
            # idle 7-8 and 12-14, each ended by a stood hour: 2 h unbroken, 2 breaks
            "longest_sit_minutes": 120.0,
            "sit_breaks": 2,
            "trendelenburg": None,
            "thomas": None,
            "pain": None,
        }
    ]


def test_a_20_mb_export_is_read_in_bounded_memory(tmp_path: Path) -> None:
    # Not timed: the Python memory the read allocates at its peak, against the file size.
    path = tmp_path / "export.xml"
    with path.open("wb") as fh:
        size = write_big_export(fh, 20_000_000, year_of_stand_hours(D(2025, 6, 1), 120, CET))
    read_apple(write_export(tmp_path / "warm.xml", day_of(D(2026, 3, 2), set())), CTX)
    tracemalloc.start()
    try:
        read = read_apple(path, CTX)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read.problems == []
    assert read.days.height == 120
    assert peak < 0.2 * size, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB export"
