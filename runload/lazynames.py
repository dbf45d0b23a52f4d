"""A package's names imported when first asked for (PEP 562 ``__getattr__``): the module
keeps a table of where each name lives, and only the modules a run asks for are imported
(``runload.api``'s command calls, ``runload.fit``'s readers)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    module: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``module``: each name of ``where`` from the module it names,
    imported on first use and kept in ``namespace`` (the module's ``globals()``), so that
    the next look-up is a plain one; ``AttributeError`` for any other name."""

    def __getattr__(name: str) -> Any:
        if (home := where.get(name)) is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    return __getattr__
