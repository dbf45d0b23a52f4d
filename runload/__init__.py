"""runload: running load meets desk sitting.

The library is a set of pure functions on polars frames (``runload.api`` gathers
the public calls); the ``runload`` command (``runload.cli``) is a thin layer on
top. Heavy modules (polars, fitparse, plotly) are imported lazily so the command
starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
