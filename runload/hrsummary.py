"""What the method needs of one session's heart-rate samples, in plain Python: the valid
band of a sample, the plausible band of a maximum, and ``hr_summary``, the summary kept
per session (``hr_profile`` and ``hr_peak``; ``runload.load`` says how the loads use it).
No polars here: ingest's worker processes summarise the sessions they read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from math import isfinite
from operator import sub

# HR samples outside this band (0 from a lost strap, 250-255 from noise) are ignored.
VALID_HR = (30.0, 240.0)
# Heart rates outside this band are sensor noise, never a maximum.
PLAUSIBLE_HR = (100.0, 230.0)

Summary = tuple[float | None, list[dict[str, float | int]] | None]


def hr_summary(times: Sequence[float], bpms: Sequence[float]) -> Summary:
    """(``hr_peak``, ``hr_profile``) of one session's HR samples: the highest sample within
    ``PLAUSIBLE_HR``; the valid samples (``VALID_HR``, at a finite time) but the last, as
    {bpm, gap to the next valid sample in seconds, how many}, sorted by bpm then gap (None
    with fewer than two valid samples, or lists that do not pair up)."""
    lo, hi = PLAUSIBLE_HR
    peak = max((b for b in bpms if lo <= b <= hi), default=None)
    if len(times) != len(bpms) or len(bpms) < 2:
        return peak, None
    low, high = VALID_HR
    if isfinite(sum(times)) and isfinite(sum(bpms)) and low <= min(bpms) and max(bpms) <= high:
        # every sample valid (no NaN, no infinity: their sums would not be finite), the
        # usual case: the pairs in C (map, zip) rather than a Python loop per sample
        pairs = Counter(zip(bpms[:-1], map(sub, times[1:], times), strict=True))
    else:
        both = zip(times, bpms, strict=True)
        valid = [(t, b) for t, b in both if low <= b <= high and isfinite(t)]
        if len(valid) < 2:
            return peak, None
        pairs = Counter((b, t1 - t0) for (t0, b), (t1, _) in pairwise(valid))
    return peak, [{"bpm": b, "gap_s": g, "n": n} for (b, g), n in sorted(pairs.items())]
