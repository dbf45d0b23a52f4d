"""FIT decoding: every byte runload reads from a FIT file goes through this package.

* ``layout``: the byte level — headers, sizes, CRCs, chained segments — checked and
  repaired before a decoder runs; every repair is a warning with its byte offset.
* ``messages``: the one shape (``Message``) in which decoded messages reach handlers.
* ``fast``: fitparse driven through its private internals, about 19x faster.
* ``public``: fitparse through its documented API: the reference and the fallback.
* ``decoder``: which decoder reads a file (the fast one only after it has read the
  bundled canary exactly as the public one does), and the one damage policy.
* ``activity``: the activity message handlers → sessions, HR samples, athlete facts.
* ``standins``: Connect IQ developer fields that stand for native ones (used where the
  native value is absent or 0).
* ``runlike``: whether records without a sport show a run.
* ``monitoring``: the monitoring message handlers → activity states (sitting).
* ``profile``: manufacturer and product names from the current FIT SDK (generated).

Nothing here imports fitparse until a file is decoded, and the package imports none of
its modules until a name is asked for (PEP 562): a warm run, which decodes nothing, needs
only the decoder's identity and the result's shape, not the readers (5 ms of every start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from runload.lazynames import lazy_names

if TYPE_CHECKING:
    from runload.fit.activity import read_fit
    from runload.fit.decoder import FAST, PUBLIC, file_type, verdict
    from runload.fit.installed import fitparse_tag
    from runload.fit.layout import fit_crc
    from runload.fit.monitoring import MonitoringRecords, read_monitoring
    from runload.fit.result import PARSER_VERSION, FitResult, SessionData

# each name of the package: the module it lives in
_WHERE = {
    "PARSER_VERSION": "runload.fit.result",
    "read_fit": "runload.fit.activity",
    "FAST": "runload.fit.decoder",
    "PUBLIC": "runload.fit.decoder",
    "file_type": "runload.fit.decoder",
    "verdict": "runload.fit.decoder",
    "fitparse_tag": "runload.fit.installed",
    "fit_crc": "runload.fit.layout",
    "MonitoringRecords": "runload.fit.monitoring",
    "read_monitoring": "runload.fit.monitoring",
    "FitResult": "runload.fit.result",
    "SessionData": "runload.fit.result",
}

__all__ = [
    "FAST",
    "PARSER_VERSION",
    "PUBLIC",
    "FitResult",
    "MonitoringRecords",
    "SessionData",
    "file_type",
    "fit_crc",
    "fitparse_tag",
    "read_fit",
    "read_monitoring",
    "verdict",
]

__getattr__ = lazy_names(__name__, _WHERE, globals())
