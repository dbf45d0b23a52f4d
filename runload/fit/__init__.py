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

Nothing here imports fitparse until a file is decoded.
"""

from runload.fit.activity import PARSER_VERSION, read_fit
from runload.fit.decoder import FAST, PUBLIC, file_type, verdict
from runload.fit.installed import fitparse_tag
from runload.fit.layout import fit_crc
from runload.fit.monitoring import MonitoringRecords, read_monitoring
from runload.fit.result import FitResult, SessionData

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
