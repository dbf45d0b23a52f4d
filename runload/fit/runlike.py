"""Whether the records of a FIT segment without a sport show a run (a file cut short
before any sport or session message): its speed, cadence and stride, and no bike
sensor or bike computer. ``activity`` asks, for the session it builds from records."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

RUN_SPEED_MS = (1.7, 6.5)  # median moving speed, m/s (9:48 to 2:34 per km)
RUN_CADENCE = (70.0, 105.0)  # strides (one foot's steps) per minute; steps/min are halved
MAX_STRIDE_M = 3.3  # speed / cadence: a runner's stride; a bike's crank turn covers more
MOVING_SPEED = 0.3  # m/s: slower is standing still
RUN_SHARE = 2 / 3  # of the moving time at a running speed (not a multisport's mix)
MIN_MOVING_RECORDS = 30


def run_evidence(
    times: Sequence[int],
    dists: Sequence[float | None],
    cads: Sequence[float | None],
    span: range,
    bike: bool,
) -> tuple[bool, str]:
    """Whether the records ``span`` show a run, and what they show (for the warning): a
    running speed most of the moving time, a running cadence, a runner's stride length (a
    bike's crank turn covers more ground), and no ``bike`` sensor or bike computer in the
    file. Without a cadence, a speed alone is no evidence."""
    speeds: list[float] = []
    cadences: list[float] = []
    prev: tuple[int, float] | None = None
    for i in span:
        cad = cads[i]
        if cad is not None and cad > 0:
            cadences.append(cad / 2 if cad > RUN_CADENCE[1] else cad)  # steps → strides
        d = dists[i]
        if d is None:
            continue
        if prev is not None and 0 < times[i] - prev[0] <= 60 and d >= prev[1]:
            v = (d - prev[1]) / (times[i] - prev[0])
            if v >= MOVING_SPEED:
                speeds.append(v)
        prev = (times[i], d)
    if bike:
        return False, "a bike computer or bike sensor recorded it"
    if len(speeds) < MIN_MOVING_RECORDS:
        return False, "too few records with a distance to tell"
    speed = statistics.median(speeds)
    shown = f"median speed {speed * 3.6:.1f} km/h"
    if len(cadences) < len(speeds) / 2:
        return False, f"{shown}, no cadence"
    cadence = statistics.median(cadences)
    shown += f", cadence {cadence:.0f} rpm"
    lo, hi = RUN_SPEED_MS
    share = sum(lo <= v <= hi for v in speeds) / len(speeds)
    run = (
        lo <= speed <= hi
        and share >= RUN_SHARE
        and RUN_CADENCE[0] <= cadence <= RUN_CADENCE[1]
        and speed * 60 / cadence <= MAX_STRIDE_M
    )
    if share < RUN_SHARE:
        shown += f", {share:.0%} of it at a running speed"
    return run, shown
