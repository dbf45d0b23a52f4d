"""What one command works on, resolved once: the settings, the activity files, the sitting
sources, the cache and the worker processes.

Owns ``Options`` and ``resolve_options``, the one place where ``runload.toml``, what the
caller gave (command-line flags, or arguments of ``runload.api``) and the environment meet:

- settings: ``settings`` given, else the config found by ``runload.config.load_settings``
  (``config`` > ``$RUNLOAD_CONFIG`` > ``./runload.toml`` > the user config folder);
- activity paths: those given, else ``[paths] activities`` (relative to the config file);
- sitting sources: those given, else ``[sitting] log`` when that file exists, else the
  sitting sources held in the activity paths themselves (a Garmin account export zip, a
  watch's ``GARMIN/Monitor`` folder...: ``sitting_from_paths``, read by ``report``);
- the sitting log (``runload sitting add``): the one given, else ``[sitting] log``
  (relative to the config file);
- cache folder: the one given, else ``$RUNLOAD_CACHE_DIR``, else ``[paths] cache_dir``,
  else the user cache folder (``None`` here); ``use_cache=False`` uses none;
- worker processes: ``jobs`` given, else all usable cores (decided by ingest);
- Dask: ``dask`` given (``"local"`` or a scheduler address), else none (local processes).

``ingest``, ``report``, ``check`` and ``plot`` all take an ``Options``, so a setting means
the same thing whichever command (or library call) reads it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from runload.cache import ENV_VAR as CACHE_ENV_VAR
from runload.config import Settings, load_settings
from runload.errors import InputError

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
    # No sitting given and no log: read the sitting sources held in ``paths`` (and say so).
    sitting_from_paths: bool = False

    @property
    def timezone(self) -> str | None:
        """The configured zone for files without local time (None: from the files)."""
        return self.settings.athlete.timezone


def _texts(values: Iterable[PathLike] | None) -> list[str]:
    return [os.fspath(v) for v in values or ()]


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
) -> Options:
    """``Options`` from what the caller gave, the config and the environment.

    ``need_paths``: raise ``NoActivitiesError`` when there is no activity path at all.
    ``default_sitting=False`` leaves the sitting sources as given (no ``[sitting] log``, no
    sitting from the activity paths).
    """
    settings = settings if settings is not None else load_settings(config, cwd=cwd)
    path_list = _texts(paths)
    if not path_list and settings.paths.activities:
        path_list = [str(settings.resolve_path(settings.paths.activities))]
    if not path_list and need_paths:
        raise NoActivitiesError(
            "give the FIT files or folders to read (or set [paths] activities in runload.toml)"
        )
    log_path = Path(log) if log is not None else settings.resolve_path(settings.sitting.log)
    sitting_list = _texts(sitting)
    if not sitting_list and default_sitting and log_path.is_file():
        sitting_list = [str(log_path)]
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
        sitting_from_paths=default_sitting and not sitting_list,
    )
