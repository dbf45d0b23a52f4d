"""Shared test fixtures: the real files in ../shared/fixtures (skipped with a
reason where that folder is absent) and an isolated cache/config per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from runload.fit import decoder, fast

ROOT = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"


def _shared(sub: str) -> Path:
    folder = SHARED_FIXTURES / sub
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (the shared real-file fixtures live beside the repo)")
    return folder


@pytest.fixture(scope="session")
def shared_fit_dir() -> Path:
    """../shared/fixtures/fit: real FIT files from public projects."""
    return _shared("fit")


@pytest.fixture
def shared_sitting_dir() -> Path:
    """../shared/fixtures/sitting: real sitting/sedentary exports."""
    return _shared("sitting")


@pytest.fixture
def shared_pmdata_dir() -> Path:
    """../shared/fixtures/pmdata: 8 people's real Fitbit exports (the PMData dataset)."""
    return _shared("pmdata")


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same for what runs before a test's own fixtures (a module's fixtures): the
    FIT decoder's kept verdict (``runload.fit.verdicts``) goes to the user cache folder."""
    home = tmp_path_factory.mktemp("session-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RUNLOAD_CACHE_DIR", str(home / "cache"))
        patch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
        patch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
        yield


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user cache or config folder from a test; no terminal width
    from the shell running the tests (a test that wants one sets ``COLUMNS``)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("RUNLOAD_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.delenv("RUNLOAD_CONFIG", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test inside its own empty folder (commands that read ./runload.toml or
    ./sitting.csv find only what the test puts there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(params=[decoder.FAST, decoder.PUBLIC])
def each_decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both decoders must read these files alike."""
    if request.param == decoder.PUBLIC:
        monkeypatch.setenv(decoder.ENV_VAR, "public")
    else:
        monkeypatch.delenv(decoder.ENV_VAR, raising=False)
    decoder.reset_verdict()
    monkeypatch.setattr(fast, "_FIT_CLASS", None)
    yield request.param
    decoder.reset_verdict()
    fast._FIT_CLASS = None
