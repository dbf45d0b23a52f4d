"""inputs: files, folders, zips (also nested), .fit.gz, case-insensitive names."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest

from runload.inputs import SourceReadError, find_inputs

FIT = b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_folder_walked_recursively_sorted_case_insensitive(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.FIT").write_bytes(FIT)
    (tmp_path / "b" / "c.fit").write_bytes(FIT + b"c")
    (tmp_path / "b" / "notes.txt").write_text("skip me")
    (tmp_path / "d.Fit.GZ").write_bytes(gzip.compress(FIT + b"d"))
    sources, problems = find_inputs([tmp_path])
    assert problems == []
    names = [Path(s.name).relative_to(tmp_path).as_posix() for s in sources]
    assert names == ["a.FIT", "b/c.fit", "d.Fit.GZ"]
    assert [s.read() for s in sources] == [FIT, FIT + b"c", FIT + b"d"]


def test_zip_and_nested_zip(tmp_path: Path) -> None:
    inner = _zip({"x/2.fit": FIT + b"2", "readme.md": b"no"})
    outer = _zip({"1.fit": FIT + b"1", "part1.zip": inner, "3.fit.gz": gzip.compress(FIT)})
    (tmp_path / "export.ZIP").write_bytes(outer)
    sources, problems = find_inputs([tmp_path / "export.ZIP"])
    assert problems == []
    by_name = {s.name.split(":", 1)[1]: s.read() for s in sources}
    assert by_name == {"1.fit": FIT + b"1", "3.fit.gz": FIT, "part1.zip:x/2.fit": FIT + b"2"}


def test_named_file_that_is_not_fit_is_still_a_source(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("hello")
    sources, problems = find_inputs([str(f)])
    assert [s.name for s in sources] == [str(f)] and problems == []


def test_missing_path_and_broken_archives_are_problems(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK not really")
    (tmp_path / "bad.fit.gz").write_bytes(b"not gzip")
    sources, problems = find_inputs([tmp_path / "nope", tmp_path / "bad.zip", tmp_path])
    assert [p.message for p in problems][:2] == [
        "no such file or folder",
        problems[1].message,
    ]
    assert problems[1].message.startswith("not a readable zip archive")
    assert all(p.severity == "error" for p in problems)
    (gz,) = sources
    with pytest.raises(SourceReadError, match="gzip"):
        gz.read()


def test_garmin_export_nested_zips_skip_macos_junk(tmp_path: Path) -> None:
    # Garmin Connect's export: DI_CONNECT/.../UploadedFiles_0-_Part1.zip holding the FIT
    # files; zipped on a Mac, every entry also gets a __MACOSX/._name twin.
    part = _zip({f"u_{i}.fit": FIT + bytes([i]) for i in range(5)})
    outer = _zip(
        {
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": part,
            "__MACOSX/DI_CONNECT/._x.fit": b"\x00\x05\x16\x07 junk",
            "DI_CONNECT/._y.fit": b"junk",
        }
    )
    (tmp_path / "export.zip").write_bytes(outer)
    (tmp_path / "._run.fit").write_bytes(b"junk")  # AppleDouble file on a USB drive
    sources, problems = find_inputs([tmp_path])
    assert problems == []
    assert [s.name.rsplit(":", 1)[1] for s in sources] == [f"u_{i}.fit" for i in range(5)]
    # members read one after another (the inner zip is opened once) in any order
    assert [s.read() for s in reversed(sources)] == [FIT + bytes([i]) for i in range(4, -1, -1)]


def test_a_file_named_twice_is_one_source(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(FIT)
    sources, _ = find_inputs([tmp_path, tmp_path / "a.fit", str(tmp_path) + "/./a.fit"])
    assert [s.name for s in sources] == [str(tmp_path / "a.fit")]


def test_inflating_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runload.inputs as inputs

    monkeypatch.setattr(inputs, "MAX_FIT_BYTES", 1000)
    (tmp_path / "bomb.fit.gz").write_bytes(gzip.compress(FIT + b"\0" * 5000))
    (tmp_path / "bomb.zip").write_bytes(_zip({"big.fit": FIT + b"\0" * 5000}))
    (tmp_path / "big.fit").write_bytes(FIT + b"\0" * 5000)
    sources, problems = find_inputs([tmp_path])
    assert problems == [] and len(sources) == 3
    for source in sources:
        with pytest.raises(SourceReadError, match="too big for an activity file"):
            source.read()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_is_a_problem_not_silence(tmp_path: Path) -> None:
    (tmp_path / "ok.fit").write_bytes(FIT)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.fit").write_bytes(FIT)
    locked.chmod(0)
    try:
        sources, problems = find_inputs([tmp_path])
    finally:
        locked.chmod(0o755)
    assert [Path(s.name).name for s in sources] == ["ok.fit"]
    assert [(p.path, p.message) for p in problems] == [
        (str(locked), "cannot read folder: permission denied")
    ]


def test_encrypted_zip_member_is_a_read_error_not_a_crash(tmp_path: Path) -> None:
    data = bytearray(_zip({"a.fit": FIT, "inner.zip": _zip({"b.fit": FIT})}))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # mark all encrypted
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + flag_at] |= 1
            start += 4
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    sources, problems = find_inputs([tmp_path / "locked.zip"])
    assert [s.name.rsplit(":", 1)[1] for s in sources] == ["a.fit"]
    assert [(p.path, p.message) for p in problems] == [
        (
            f"{tmp_path / 'locked.zip'}:inner.zip",
            "cannot unpack it from the zip archive"
            " (File 'inner.zip' is encrypted, password required for extraction)",
        )
    ]
    with pytest.raises(SourceReadError, match="encrypted"):
        sources[0].read()


def test_a_walked_files_absolute_path_is_its_abspath(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the walk joins each folder's absolute path with the file name instead of asking
    # abspath per file: the same text, from a relative path, through "..", in subfolders
    (tmp_path / "a" / "b").mkdir(parents=True)
    for rel in ("a/x.fit", "a/b/y.FIT", "a/b/z.gpx"):
        (tmp_path / rel).write_bytes(b"x")
    monkeypatch.chdir(tmp_path / "a" / "b")
    sources, _ = find_inputs(["..", "../../a/", "y.FIT"])
    assert len(sources) == 3  # (each file once: the key is the absolute path)
    for source in sources:
        assert source.absolute == os.path.abspath(source.path)
        assert source.fingerprint()[0] == os.path.abspath(source.path)
    # and the paths and names are the folder given joined with each file's relative path
    for given in ("..", "../", "../../a", str(tmp_path / "a"), "."):
        found, _ = find_inputs([given])
        rels = sorted(
            os.path.relpath(os.path.join(r, f), given)
            for r, _d, files in os.walk(given)
            for f in files
        )
        assert [(s.path, s.name) for s in found] == [
            (os.path.join(given, rel), os.path.join(given, rel)) for rel in rels
        ]
