"""``python -m runload``: the same command as ``runload``, under the same name (its usage
lines, and shell completion through ``_RUNLOAD_COMPLETE``)."""

from runload.cli import run

run()
