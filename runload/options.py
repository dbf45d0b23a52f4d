"""What one command works on, resolved once: the settings, the activity files, the sitting
sources, the cache and the worker processes.

Owns ``Options`` and ``resolve_options``, the one place where ``runload.toml``, what the
caller gave (command-line flags, or arguments of ``runload.api``) and the environment meet:

- settings: ``settings`` given, else the config found by ``runload.config.load_settings``
  (``config`` > ``$RUNLOAD_CONFIG`` > ``./runload.toml`` > the user config folder); the
  display units given (``--units``) replace ``[display] units``;
- activity paths: those given, else ``[paths] activities`` (relative to the config file);
- sitting sources: those given; else ``[sitting] log`` together with the sitting sources
  held in the activity paths themselves (a Garmin account export zip, a watch's
  ``GARMIN/Monitor`` folder...: ``sitting_from_paths``, read by ``report``), merged with the
  log winning the days it has;
- the sitting log (``runload sitting add``): the one given, else ``[sitting] log``
  (relative to the config file);
- cache folder: the one given, else ``$RUNLOAD_CACHE_DIR``, else ``[paths] cache_dir``,
  else the user cache folder (``None`` here); ``use_cache=False`` uses none;
- worker processes: ``jobs`` given, else all usable cores (decided by ingest);
- Dask: ``dask`` given (``"local"`` or a scheduler address), else none (local processes).

``ingest``, ``report``, ``check`` and ``plot`` all take an ``Options``, so a setting means
the same thing whichever command (or library call) reads it.

A path the user named and the command will read — an activity path or sitting source
given, ``[paths] activities`` or a ``[sitting] log`` other than the default written in
``runload.toml`` — must exist and be readable: else ``NamedPathError`` (a usage mistake,
exit 2) before anything is read, so a mistyped ``--sitting`` never lowers a risk. The
default log (``sitting.csv``, never named by the user, also when ``runload init`` wrote it
into the file) is optional: nothing at its path is fine and the run goes on without it;
something there that cannot be read (a FIFO, no permission, a dangling link) is the same
usage mistake.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from runload.cachedir import ENV_VAR as CACHE_ENV_VAR
from runload.config import DisplaySettings, Settings, SittingSettings, load_settings
from runload.config.model import Units
from runload.errors import InputError, NamedPathError
from runload.inputs import unusable

PathLike = str | os.PathLike[str]


class NoActivitiesError(InputError):
    """No activity path was given and the config names none."""


@dataclass(frozen=True)
class Options:
    """The resolved inputs of one command (see the module docstring for the order)."""

    settings: Settings
    paths: tuple[str, ...]
    sitting: tuple[str, ...] = ()
    log: Path = Path("sitting.csv")  # the sitting log ``sitting add`` writes
    cache_dir: Path | None = None  # None: the user cache folder
    use_cache: bool = True
    jobs: int | None = None  # None: every usable core
    dask: str | None = None  # parse on Dask: "local" or "tcp://host:8786" (runload.distributed)
    # No sitting given: read the sitting sources held in ``paths`` too (and say so).
    sitting_from_paths: bool = False

    @property
    def timezone(self) -> str | None:
        """The configured zone for files without local time (None: from the files)."""
        return self.settings.athlete.timezone


def with_units(settings: Settings, units: str) -> Settings:
    """``settings`` shown in ``units`` (``metric`` | ``imperial``; ``ValueError`` otherwise)."""
    from runload.wording import DISTANCE_UNITS

    if units not in DISTANCE_UNITS:
        raise ValueError(f"units must be one of {', '.join(DISTANCE_UNITS)}, not {units!r}")
    chosen = cast(Units, units)  # one of DISTANCE_UNITS, checked above
    return dataclasses.replace(settings, display=DisplaySettings(units=chosen))


def _texts(values: Iterable[PathLike] | None) -> list[str]:
    return [os.fspath(v) for v in values or ()]


def _refuse_unusable(named: list[tuple[str, str]]) -> None:
    """``NamedPathError`` for the first (path, how it was named) that cannot be read."""
    for path, how in named:
        if why := unusable(path):
            raise NamedPathError(f"{why} ({how}; nothing was read)", path=path)


def resolve_options(
    paths: Iterable[PathLike] | None = None,
    sitting: Iterable[PathLike] | None = None,
    *,
    settings: Settings | None = None,
    config: PathLike | None = None,
    cache_dir: PathLike | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    dask: str | None = None,
    log: PathLike | None = None,
    need_paths: bool = True,
    default_sitting: bool = True,
    cwd: Path | None = None,
    units: str | None = None,
) -> Options:
    """``Options`` from what the caller gave, the config and the environment.

    ``need_paths``: raise ``NoActivitiesError`` when there is no activity path at all.
    ``default_sitting=False`` leaves the sitting sources as given (no ``[sitting] log``, no
    sitting from the activity paths). Every path the command will read that the user named
    is checked here (see the module docstring): ``NamedPathError`` names the first that
    cannot be read. ``units`` (``metric`` | ``imperial``) replaces ``[display] units``.
    """
    settings = settings if settings is not None else load_settings(config, cwd=cwd)
    if units is not None:
        settings = with_units(settings, units)
    path_list = _texts(paths)
    # the file that names a path (a team's shared config is given each athlete's folder as
    # its source, for relative paths, though no file is there)
    where = settings.source if settings.source and settings.source.is_file() else "runload.toml"
    named = [(p, "an activity path you named") for p in path_list]
    if not path_list and settings.paths.activities:
        path_list = [str(settings.resolve_path(settings.paths.activities))]
        named = [(path_list[0], f"[paths] activities in {where}")]
    if not path_list and need_paths:
        raise NoActivitiesError(
            "give the FIT files or folders to read (or set [paths] activities in runload.toml)"
        )
    log_path = Path(log) if log is not None else settings.resolve_path(settings.sitting.log)
    sitting_list = _texts(sitting)
    named_sitting = [(s, "a sitting source you named") for s in sitting_list]
    from_paths = default_sitting and not sitting_list
    if from_paths:
        log_named = log is not None or settings.sitting.log != SittingSettings().log
        if log_named or os.path.lexists(log_path):  # the default log: only when there
            sitting_list = [str(log_path)]
            how = f"[sitting] log in {where}" if log_named else "the default sitting log"
            named_sitting = [(sitting_list[0], how)]
    # the activity paths are read by ingest (need_paths) or searched for sitting
    _refuse_unusable((named if need_paths or from_paths else []) + named_sitting)
    folder: Path | None = None
    if cache_dir is not None and os.fspath(cache_dir):
        folder = Path(cache_dir).expanduser()
    elif os.environ.get(CACHE_ENV_VAR):
        folder = Path(os.environ[CACHE_ENV_VAR]).expanduser()
    elif settings.paths.cache_dir:
        folder = settings.resolve_path(settings.paths.cache_dir)
    return Options(
        settings=settings,
        paths=tuple(path_list),
        sitting=tuple(sitting_list),
        cache_dir=folder,
        use_cache=use_cache,
        jobs=jobs,
        dask=dask or None,
        log=log_path,
        sitting_from_paths=from_paths,
    )
