"""The public decoder: fitparse through its documented API only.

``FitFile(fileish, check_crc=True, data_processor=...)`` and ``get_messages()``, with a
data processor (a ``FitFileDataProcessor`` subclass, as documented) that overrides the
``process_type_*`` hooks so that values stay raw, exactly as the fast decoder leaves them
(FIT seconds, not ``datetime``; 0/1, not ``bool``), and looks up no field or units hook
for a developer field whose name or units are not text (a damaged field description:
fitparse's own look-up raises ``TypeError`` there, where the fast decoder reads on; no
such hook exists anyway). A data message whose definition has a field of an impossible
size stops it (``messages.bad_field_size``), as it stops the fast decoder. The bytes
come from ``layout``, whose CRCs are right, so the CRC check passes on every fitparse
build. This is the reference the
fast decoder is checked against, and the decoder for any file (or whole run) where
the fast one cannot be trusted. It is slower (about as fast as plain fitparse).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from runload.fit.fast import FieldSizeError, clear_global_developer_types
from runload.fit.messages import Message, bad_field_size, project

_PROCESSOR: Any = None


def _raw_values_processor() -> Any:
    global _PROCESSOR
    if _PROCESSOR is None:
        from fitparse import FitFileDataProcessor

        class RawValues(FitFileDataProcessor):
            """Keeps values as the FIT file has them (the default turns times into
            ``datetime`` and 0/1 into ``bool``)."""

            def process_type_bool(self, field_data: Any) -> None:
                pass

            def process_type_date_time(self, field_data: Any) -> None:
                pass

            def process_type_local_date_time(self, field_data: Any) -> None:
                pass

            def process_type_localtime_into_day(self, field_data: Any) -> None:
                pass

            def run_field_processor(self, field_data: Any) -> None:
                if isinstance(field_data.name, str):
                    super().run_field_processor(field_data)

            def run_unit_processor(self, field_data: Any) -> None:
                if field_data.units is None or isinstance(field_data.units, str):
                    super().run_unit_processor(field_data)

        _PROCESSOR = RawValues()
    return _PROCESSOR


def messages(buf: io.BytesIO, full: frozenset[str]) -> Iterator[Message]:
    """The file's data messages, as fitparse's public API reads them."""
    import fitparse

    clear_global_developer_types()
    # The newest fitparse offers a FitFile that does not keep every message.
    cls = getattr(fitparse, "UncachedFitFile", None) or fitparse.FitFile
    fit = cls(buf, check_crc=True, data_processor=_raw_values_processor())
    checked: dict[Any, str | None] = {}  # (by the definition itself: ids are reused)
    for message in fit.get_messages():
        definition = message.def_mesg
        if (bad := checked.get(definition, "")) == "":
            bad = checked[definition] = bad_field_size(definition)
        if bad is not None:  # as the fast decoder: stop at the message, not read out of step
            raise FieldSizeError(bad)
        yield project(message.name, message.fields, full)
