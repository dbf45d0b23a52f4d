"""Where runload keeps its cache: ``RUNLOAD_CACHE_DIR`` when set, else the platformdirs
user cache folder. The parse cache (``runload.cache``) lives there unless ``--cache-dir``
moves it, and the FIT decoder's canary verdict (``runload.fit.verdicts``) always does."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "RUNLOAD_CACHE_DIR"


def default_cache_dir() -> Path:
    """``RUNLOAD_CACHE_DIR`` when set, else the user cache folder for runload."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("runload", appauthor=False))
