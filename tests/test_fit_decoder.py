"""runload.fit.decoder: the fast decoder is used only after it read the bundled canary as
fitparse's public API does; broken on purpose (a missing private attribute, a changed
record layout, an exception mid-file), runload falls back to the public path, says so
once, and gives the same rows and problems as the release does, never "damage"."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from runload.fit import FAST, PUBLIC, decoder, fast, read_fit
from runload.fit.layout import check_layout

REAL = (
    "python-fitparse__compressed-speed-distance.fit",  # compressed timestamps and speed
    "Runalyze__swim-via-iq.fit",  # developer fields (one named total_distance)
    "choochoo__activity-activity-filecrc.fit",  # chained segments, bad CRC, 3 sessions
    "python-fitparse__activity-settings-nodata.fit",  # cut short: damage
    "python-fitparse__garmin-fenix-5-run.fit",  # heart rate, GPS
)


@pytest.fixture(autouse=True)
def _fresh_verdict(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test decides the decoder anew (and leaves no verdict behind)."""
    monkeypatch.delenv(decoder.ENV_VAR, raising=False)
    decoder.reset_verdict()
    monkeypatch.setattr(fast, "_FIT_CLASS", None)
    yield
    decoder.reset_verdict()
    fast._FIT_CLASS = None


def _rows(shared_fit_dir: Path) -> dict[str, Any]:
    """What runload keeps of each file (sessions, facts, device, problems), without the
    decoder that read it."""
    out = {}
    for name in REAL:
        result = read_fit((shared_fit_dir / name).read_bytes(), name)
        out[name] = dataclasses.replace(result, decoder="", note=None)
    return out


@pytest.fixture(scope="module")
def release_rows(shared_fit_dir: Path) -> dict[str, Any]:
    decoder.reset_verdict()
    fast._FIT_CLASS = None
    assert decoder.verdict().decoder == FAST  # the fitparse release: the fast path
    rows = _rows(shared_fit_dir)
    decoder.reset_verdict()
    return rows


def test_the_release_passes_the_canary_and_reads_fast() -> None:
    assert decoder.compare_on_canary() is None
    assert decoder.verdict() == decoder.Verdict(FAST)


def test_the_canary_holds_what_the_fast_path_treats_specially() -> None:
    layout = check_layout(decoder.canary_bytes())
    assert layout.warnings[0][0].startswith("truncated")  # the cut tail
    data = layout.data
    assert data.count(b".FIT") == 4  # chained segments
    messages, end = decoder.trace(fast.messages, layout, frozenset(("developer_data_id",)))
    assert "the file ends inside a message" in end
    names = {m.name for m in messages}
    assert {"record", "monitoring", "developer_data_id", "field_description"} <= names


def test_forced_public_path_skips_the_fast_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(decoder.ENV_VAR, "public")
    assert decoder.verdict() == decoder.Verdict(PUBLIC)  # asked for: nothing to say
    assert decoder.allowed_decoders() == (PUBLIC,)


def _missing_private_attribute(monkeypatch: pytest.MonkeyPatch) -> None:
    import fitparse.records

    monkeypatch.delattr(fitparse.records, "MessageHeader")  # fitparse.base keeps its own


def _changed_record_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A header record whose fields mean something else: compressed timestamps are lost
    on the fast path only (silently: no exception), so only the comparison can tell."""
    import fitparse.records

    real = fitparse.records.MessageHeader

    class Header(real):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            kwargs["time_offset"] = None
            super().__init__(**kwargs)

    monkeypatch.setattr(fitparse.records, "MessageHeader", Header)


def _exception_in_the_canary(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fast._plan_for
    calls = {"n": 0}

    def plan(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyError("base_type")
        return real(*args)

    monkeypatch.setattr(fast, "_plan_for", plan)


@pytest.mark.parametrize(
    "breakage", [_missing_private_attribute, _changed_record_layout, _exception_in_the_canary]
)
def test_a_broken_fast_path_falls_back_with_the_same_rows(
    monkeypatch: pytest.MonkeyPatch, shared_fit_dir: Path, release_rows, breakage
) -> None:
    breakage(monkeypatch)
    chosen = decoder.verdict()
    assert chosen.decoder == PUBLIC and chosen.reason
    assert chosen.note == (
        "fitparse 1.2.0 is not the release runload's fast reader was built for;"
        " reading at normal speed"
    )
    results = {n: read_fit((shared_fit_dir / n).read_bytes(), n) for n in REAL}
    assert {r.decoder for r in results.values()} == {PUBLIC}
    assert {r.note for r in results.values()} == {chosen.note}
    assert _rows(shared_fit_dir) == release_rows


def test_an_exception_mid_file_is_retried_on_the_public_path_not_damage(
    monkeypatch: pytest.MonkeyPatch, shared_fit_dir: Path, release_rows
) -> None:
    assert decoder.verdict().decoder == FAST  # the canary passed; then a user's file breaks
    real = fast.messages

    def breaks_after_50(buf: Any, full: frozenset[str]) -> Iterator[Any]:
        for i, message in enumerate(real(buf, full)):
            if i == 50:
                raise AttributeError("'FitFile' object has no attribute '_local_mesgs'")
            yield message

    monkeypatch.setattr(fast, "messages", breaks_after_50)
    name = "python-fitparse__garmin-fenix-5-run.fit"
    result = read_fit((shared_fit_dir / name).read_bytes(), name)
    assert result.decoder == PUBLIC and result.note is None  # this file only, no run note
    assert not [p for p in result.problems if "damaged" in p.message]
    assert dataclasses.replace(result, decoder="", note=None) == release_rows[name]


def test_the_command_says_so_once_on_stderr(
    monkeypatch: pytest.MonkeyPatch, shared_fit_dir: Path, tmp_path: Path
) -> None:
    from runload.cli import main

    _missing_private_attribute(monkeypatch)
    files = [str(shared_fit_dir / n) for n in REAL]
    res = CliRunner().invoke(
        main, ["ingest", *files, "--jobs", "1", "--format", "json", "--cache-dir", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    notes = [line for line in res.stderr.splitlines() if line.startswith("note: ")]
    assert notes == [
        "note: fitparse 1.2.0 is not the release runload's fast reader was built for;"
        " reading at normal speed"
    ]
    # the entries are the public decoder's: a run that may use the fast one reads them,
    entries = sorted(p.name for p in (tmp_path / "fit").rglob("*.parquet"))
    assert entries and all("-public." in e for e in entries)
    monkeypatch.undo()
    decoder.reset_verdict()
    fast._FIT_CLASS = None
    warm = CliRunner().invoke(main, ["ingest", *files, "--jobs", "1", "--cache-dir", str(tmp_path)])
    assert f"{len(REAL)} from cache, 0 parsed" in warm.stderr and "note:" not in warm.stderr


def test_a_public_only_run_never_reads_fast_entries(
    monkeypatch: pytest.MonkeyPatch, shared_fit_dir: Path, tmp_path: Path
) -> None:
    from runload.ingest import read_activities

    files = [str(shared_fit_dir / n) for n in REAL]
    cold = read_activities(files, jobs=1, cache_dir=tmp_path)
    assert cold.parsed == len(REAL) and cold.notes == []
    entries = sorted(p.name for p in (tmp_path / "fit").rglob("*.parquet"))
    # the damaged file was read again by the public decoder (the fast one stopped in it)
    assert sum("-fast." in e for e in entries) == len(REAL) - 1
    assert sum("-public." in e for e in entries) == 1
    monkeypatch.setenv(decoder.ENV_VAR, "public")
    decoder.reset_verdict()
    public = read_activities(files, jobs=1, cache_dir=tmp_path)
    # only the public decoder's entry is reused: the fast one's are never read
    assert public.from_cache == 1 and public.parsed == len(REAL) - 1
    assert public.activities.equals(cold.activities) and public.problems == cold.problems


def test_a_missing_canary_falls_back_instead_of_failing_every_file(
    monkeypatch: pytest.MonkeyPatch, shared_fit_dir: Path, release_rows
) -> None:
    def gone() -> bytes:
        raise FileNotFoundError("runload/fit/canary.fit")

    monkeypatch.setattr(decoder, "canary_bytes", gone)
    chosen = decoder.verdict()
    assert chosen.decoder == PUBLIC and chosen.note and "FileNotFoundError" in str(chosen.reason)
    assert _rows(shared_fit_dir) == release_rows


# ----------------------------------------------------------- the verdict, once per install


def _count_canary_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = decoder.compare_on_canary

    def counted(*args: Any) -> str | None:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(decoder, "compare_on_canary", counted)
    return calls


def test_the_first_run_of_an_install_checks_the_canary_and_the_next_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from runload.fit import verdicts

    calls = _count_canary_checks(monkeypatch)
    assert not verdicts.path().exists()
    assert decoder.verdict() == decoder.Verdict(FAST) and len(calls) == 1  # pays
    assert verdicts.path().is_file()
    for _ in range(3):  # each a new process, as far as the verdict goes
        decoder.reset_verdict()
        assert decoder.verdict() == decoder.Verdict(FAST)
    assert len(calls) == 1


def test_an_upgrade_checks_the_canary_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from runload.fit import verdicts

    calls = _count_canary_checks(monkeypatch)
    decoder.verdict()
    first = verdicts.path()
    # another fitparse (or runload) installed: another identity
    monkeypatch.setattr(verdicts, "identity", lambda: "another-fitparse-build")
    decoder.reset_verdict()
    assert decoder.verdict().decoder == FAST and len(calls) == 2
    assert verdicts.path() != first and first.is_file() and verdicts.path().is_file()


def test_the_fitparse_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    from runload.fit.installed import fitparse_version

    assert fitparse_version() == version("fitparse")


def test_the_identity_is_fitparse_and_the_decoders_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    from runload.fit import verdicts

    verdicts.identity.cache_clear()
    mine = verdicts.identity()
    verdicts.identity.cache_clear()
    monkeypatch.setattr(verdicts, "fitparse_tag", lambda: "fitparse1.2.1-0badf00d")
    try:
        assert verdicts.identity() != mine
    finally:
        verdicts.identity.cache_clear()


def test_a_failed_canary_is_kept_too_and_says_its_note(monkeypatch: pytest.MonkeyPatch) -> None:
    _changed_record_layout(monkeypatch)
    calls = _count_canary_checks(monkeypatch)
    chosen = decoder.verdict()
    assert chosen.decoder == PUBLIC and chosen.note and chosen.reason
    decoder.reset_verdict()
    assert decoder.verdict() == chosen and len(calls) == 1


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b'{"verdict": {"decoder": "fast"}, "sum": "0"}'],
    ids=["empty", "not-json", "wrong-sum"],
)
def test_a_damaged_kept_verdict_is_checked_again(
    monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    from runload.fit import verdicts

    _changed_record_layout(monkeypatch)  # this fitparse fails the canary
    verdicts.path().parent.mkdir(parents=True)
    verdicts.path().write_bytes(damage)
    calls = _count_canary_checks(monkeypatch)
    assert decoder.verdict().decoder == PUBLIC and len(calls) == 1


def test_an_accident_of_one_run_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from runload.fit import verdicts

    def no_memory(*args: Any) -> None:
        raise MemoryError

    monkeypatch.setattr(decoder, "compare_on_canary", no_memory)
    assert decoder.verdict().decoder == PUBLIC
    assert not verdicts.path().exists()


def test_runload_fit_decoder_public_overrides_a_kept_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_canary_checks(monkeypatch)
    assert decoder.verdict().decoder == FAST
    monkeypatch.setenv(decoder.ENV_VAR, "public")
    decoder.reset_verdict()
    assert decoder.verdict() == decoder.Verdict(PUBLIC) and len(calls) == 1


def test_an_unwritable_state_folder_costs_only_the_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("RUNLOAD_CACHE_DIR", str(blocker))
    calls = _count_canary_checks(monkeypatch)
    assert decoder.verdict().decoder == FAST
    decoder.reset_verdict()
    assert decoder.verdict().decoder == FAST and len(calls) == 2


def test_no_cache_still_uses_the_kept_verdict(
    monkeypatch: pytest.MonkeyPatch, shared_fit_dir: Path
) -> None:
    from runload.cli import main

    calls = _count_canary_checks(monkeypatch)
    files = [str(shared_fit_dir / n) for n in REAL]
    for _ in range(2):
        decoder.reset_verdict()
        res = CliRunner().invoke(main, ["ingest", *files, "--jobs", "1", "--no-cache"])
        assert res.exit_code == 0, res.output
    assert len(calls) == 1


def test_workers_adopt_the_verdict_instead_of_checking(
    monkeypatch: pytest.MonkeyPatch, shared_fit_dir: Path, tmp_path: Path
) -> None:
    """Workers are other processes: the kept verdict is removed after the parent decided,
    so a worker that checked for itself would write it again."""
    import runload.workers as workers_module
    from runload.fit import verdicts
    from runload.ingest import read_activities

    monkeypatch.setattr(workers_module, "POOL_BYTES_PER_WORKER", 1)
    assert decoder.verdict().decoder == FAST
    verdicts.path().unlink()
    files = [str(shared_fit_dir / n) for n in REAL]
    result = read_activities(files, jobs=2, use_cache=False)
    assert result.parsed == len(REAL)
    assert not verdicts.path().exists()


def test_the_canarys_full_messages_are_the_readers_handled_ones() -> None:
    """``messages`` names what each reader reads in full (for the canary, below the
    readers); it must stay exactly what their handlers take."""
    from runload.fit import activity, monitoring
    from runload.fit.messages import RECORD, SEGMENT

    assert frozenset(activity.HANDLERS) - {RECORD, SEGMENT} == activity.FULL
    assert frozenset(monitoring.HANDLERS) - {"*"} == monitoring.FULL
