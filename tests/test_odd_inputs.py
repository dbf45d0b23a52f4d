"""Odd inputs in a season folder: FIFOs and devices named ``*.fit``, file names that are
not valid UTF-8. Each is one line naming the file; the rest of the batch is read."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from runload.cli import main
from runload.inputs import MAX_FIT_BYTES, NOT_REGULAR, SourceReadError, find_inputs, read_regular
from tools.fitgen import activity_bytes, run

START = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")


@cache
def a_run() -> bytes:
    return activity_bytes(run(START, 30, 5.0, hr=150, record_every_s=30, local_offset_s=3600))


def invoke_within(seconds: float, *args: str) -> Result:
    """The CLI through CliRunner, failing (not hanging) when it does not end in time."""
    out: dict[str, Any] = {}
    worker = threading.Thread(
        target=lambda: out.update(res=CliRunner().invoke(main, list(args))), daemon=True
    )
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"runload {' '.join(args)} did not end in {seconds} s"
    return out["res"]


@pytest.fixture
def season(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "season"
    folder.mkdir()
    (folder / "run.fit").write_bytes(a_run())
    return folder


# ------------------------------------------------------------- FIFOs and devices


@posix_only
def test_fifo_named_fit_in_a_folder_is_reported_and_never_read(season: Path) -> None:
    os.mkfifo(season / "pipe.fit")
    os.mkfifo(season / "pipe.zip")
    res = invoke_within(60, "ingest", "season", "--jobs", "1", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [a["file"] for a in out["activities"]] == ["season/run.fit"]
    assert {(p["path"], p["message"]) for p in out["problems"]} == {
        ("season/pipe.fit", NOT_REGULAR),
        ("season/pipe.zip", NOT_REGULAR),
    }


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_behind_a_fit_name_is_refused_without_reading_it(season: Path) -> None:
    (season / "zero.fit").symlink_to("/dev/zero")
    (season / "zero.fit.gz").symlink_to("/dev/zero")
    res = invoke_within(60, "ingest", "season", "--jobs", "1")
    assert res.exit_code == 0, res.output
    assert f"season/zero.fit: {NOT_REGULAR}" in res.stderr
    assert f"season/zero.fit.gz: {NOT_REGULAR}" in res.stderr
    assert "1 activity (1 run)" in res.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_named_on_the_command_line_is_a_usage_mistake_in_one_line(season: Path) -> None:
    res = invoke_within(60, "ingest", "/dev/zero", "season", "--jobs", "1")
    assert res.exit_code == 2, res.output  # named, and not a file or folder: nothing is read
    assert res.stderr == (
        "Error: /dev/zero: is a character device, not a file or folder (an activity path you "
        "named; nothing was read)\n"
    )


@posix_only
def test_a_source_swapped_for_a_fifo_after_the_walk_is_refused_at_read(season: Path) -> None:
    (source,) = find_inputs([season])[0]
    os.remove(season / "run.fit")
    os.mkfifo(season / "run.fit")
    with pytest.raises(SourceReadError, match="not a regular file"):
        source.read()


def test_regular_file_past_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.fit"
    with big.open("wb") as fh:
        fh.truncate(MAX_FIT_BYTES + 1)  # sparse: nothing written
    with pytest.raises(SourceReadError, match="too big"):
        read_regular(big, MAX_FIT_BYTES)
    assert read_regular(tmp_path / "big.fit", MAX_FIT_BYTES + 1)[:4] == b"\0\0\0\0"


# ------------------------------------------------------------- names that are not UTF-8


def _bad_name(folder: Path, name: bytes) -> Path:
    """A file whose name has bytes that are not UTF-8 (skipped where the OS refuses it)."""
    target = os.fsencode(folder) + b"/" + name
    try:
        with open(target, "wb") as fh:
            fh.write(a_run() if name.endswith(b".fit") else b"date,sitting_hours\n")
    except (OSError, UnicodeError) as exc:
        pytest.skip(f"this file system refuses non-UTF-8 names ({exc})")
    return Path(os.fsdecode(target))


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names are always Unicode there")
def test_file_name_not_utf8_is_read_and_shown_with_escapes(season: Path) -> None:
    _bad_name(season, b"caf\xe9.fit")  # Latin-1 é: not UTF-8
    (season / "broken.fit").write_bytes(b"garbage")
    _bad_name(season, b"bad\xff.fit").write_bytes(b"garbage too")
    res = invoke_within(120, "ingest", "season", "--jobs", "1", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert "Traceback" not in res.output and "UnicodeEncodeError" not in res.output
    files = sorted(a["file"] for a in out["activities"])
    assert files == ["season/caf\\xe9.fit"]  # run.fit: the same bytes, merged into it
    assert {p["path"] for p in out["problems"]} == {"season/bad\\xff.fit", "season/broken.fit"}
    assert "season/bad\\xff.fit: not a FIT file" in res.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names are always Unicode there")
def test_report_check_and_sitting_show_survive_a_name_not_utf8(season: Path) -> None:
    _bad_name(season, b"bad\xff.fit").write_bytes(b"garbage")
    sitting = season.parent / "sitting"
    sitting.mkdir()
    log = _bad_name(sitting, b"sitting\xfe.csv")
    log.write_text("date,sitting_hours\n2026-03-02,11\n")
    res = invoke_within(120, "report", "season", "--sitting", "sitting", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert "2026-03-02," in res.stdout and "season/bad\\xff.fit: not a FIT file" in res.stderr
    res = invoke_within(120, "check", "season", "--sitting", "sitting", "--date", "2026-03-02")
    assert res.exit_code in (0, 3, 4), res.output
    assert "Traceback" not in res.output and "internal error" not in res.output
    res = invoke_within(60, "sitting", "show", "sitting", "--format", "json")
    assert res.exit_code == 0, res.output
    (day,) = json.loads(res.stdout)
    assert day["sitting_hours"] == 11 and "sitting/sitting\\xfe.csv" in day["source"]


# ------------------------------------------------------------- big zips


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _count_zip_opens(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    import zipfile

    from runload import inputs

    opened: list[object] = []

    class Counting(zipfile.ZipFile):
        def __init__(self, file: Any, *args: Any, **kwargs: Any) -> None:
            opened.append(file)
            super().__init__(file, *args, **kwargs)

    monkeypatch.setattr(inputs.zipfile, "ZipFile", Counting)
    inputs.close_archives()
    return opened


def test_zip_of_many_files_is_opened_once_not_once_per_member(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 5,000 members made each read parse the archive's list again: 9x the folder's time
    members = {f"activities/run-{i:04d}.fit": a_run() + bytes([i % 256]) for i in range(300)}
    (tmp_path / "export.zip").write_bytes(_zip_bytes(members))
    sources, problems = find_inputs([tmp_path / "export.zip"])
    assert problems == [] and len(sources) == 300
    opened = _count_zip_opens(monkeypatch)
    assert [s.read() for s in sources] == list(members.values())
    assert len(opened) == 1


def test_zip_inside_a_zip_is_unpacked_once_for_all_its_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = _zip_bytes({f"u_{i}.fit": a_run() + bytes([i]) for i in range(50)})
    (tmp_path / "export.zip").write_bytes(
        _zip_bytes({"DI_CONNECT/UploadedFiles_0-_Part1.zip": part, "other.fit": a_run()})
    )
    sources, _ = find_inputs([tmp_path / "export.zip"])
    opened = _count_zip_opens(monkeypatch)
    assert len({s.read() for s in sources}) == 51
    assert len(opened) <= 3  # the outer zip, the inner one; the outer again for other.fit


def test_ingest_of_a_zip_opens_it_once_to_hash_and_once_to_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runload.ingest import read_activities

    shifted = [
        activity_bytes(run(START + dt.timedelta(days=i), 30, 5.0, hr=150, record_every_s=60))
        for i in range(20)
    ]
    archive = tmp_path / "export.zip"
    archive.write_bytes(_zip_bytes({f"r{i:02d}.fit": b for i, b in enumerate(shifted)}))
    opened = _count_zip_opens(monkeypatch)
    result = read_activities([archive], jobs=1, use_cache=False)
    assert result.runs == 20 and result.problems == []
    assert len(opened) <= 3  # the listing, then one open for every member (hash and parse)


def test_a_zip_rewritten_between_reads_is_read_afresh(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    archive.write_bytes(_zip_bytes({"a.fit": b"first", "b.fit": b"one"}))
    first, second = find_inputs([archive])[0]
    assert first.read() == b"first"
    archive.write_bytes(_zip_bytes({"a.fit": b"first", "b.fit": b"two, longer"}))
    assert second.read() == b"two, longer"
