"""What to do: advice codes, each with a title, a short text and the steps, chosen per day
from the risk level, the sitting and the symptoms.

Owns the catalogue (``ADVICE``; ``rest_rice`` switches its text with ``[advice] acute_care``:
RICE or PEACE & LOVE, Dubois & Esculier 2020) and ``advise_days``, which adds the ``advice``
column (a list of ``{code, title, text, steps}``) to a scored daily table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from runload.config import Settings
from runload.schema import ATHLETE_KEY, keyed
from runload.wording import EPS

ADVICE_DTYPE = pl.Struct(
    {"code": pl.String, "title": pl.String, "text": pl.String, "steps": pl.List(pl.String)}
)


@dataclass(frozen=True)
class Advice:
    code: str
    title: str
    text: str
    steps: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "text": self.text,
            "steps": list(self.steps),
        }


HIP_FLEXOR_STRETCH = Advice(
    "hip_flexor_stretch",
    "Open the hips before you run",
    "Long sitting tightens the hip flexors and switches the glutes off. Wake them up before "
    "the run: about 6–8 minutes.",
    (
        "Kneeling hip flexor stretch: 2 × 30 s per side",
        "Glute bridges: 2 × 12",
        "Side-lying clams: 2 × 10 per side",
        "Leg swings: 10 per side",
    ),
)
REST_RICE = Advice(
    "rest_rice",
    "Rest or cross-train today",
    "Take a rest day or an easy cross-training session instead of the run. For soreness, RICE.",
    (
        "Rest: no run today; easy cycling or swimming is fine",
        "Ice: 15–20 min on the sore spot",
        "Compression: a wrap or a sleeve",
        "Elevation: raise the leg above the heart",
    ),
)
REST_PEACE_LOVE = Advice(
    "rest_rice",
    "Rest or cross-train today",
    "Take a rest day or an easy cross-training session instead of the run. For soreness, "
    "PEACE & LOVE (Dubois & Esculier 2020).",
    (
        "Protect: unload for 1–3 days, avoid what hurts",
        "Elevate the leg above the heart",
        "Avoid anti-inflammatories (and lots of ice) in the first days",
        "Compress with a wrap or a sleeve",
        "Educate: the body heals; skip passive treatments",
        "Load: let pain guide a gradual return to running",
        "Optimism: expect to recover",
        "Vascularisation: pain-free cardio (cycling, swimming)",
        "Exercise: restore strength, mobility and balance",
    ),
)
MOVEMENT_BREAKS = Advice(
    "movement_breaks",
    "Break up the sitting",
    "Long unbroken sitting keeps the glutes switched off. Stand up and walk 2–3 minutes every "
    "30 minutes of sitting.",
    (
        "Every 30 minutes of sitting: stand up and walk 2–3 minutes",
        "Set a timer or the watch's move alert",
        "Take phone calls standing or walking",
    ),
)
CUSHION = Advice(
    "cushion",
    "Sit on a cushion",
    "A hard seat presses on the glutes and the nerves under them. Sit on a cushion.",
    (
        "Put a cushion (or a folded jacket) on hard chairs",
        "Log the seat as soft on the days you do",
    ),
)
GLUTE_STRENGTH = Advice(
    "glute_strength",
    "Strengthen the glutes twice a week",
    "Several elevated or high days lately: glute medius strength work twice a week makes the "
    "hips more robust.",
    (
        "Side-lying leg raises: 3 × 15 per side",
        "Clamshells with a band: 3 × 15 per side",
        "Single-leg bridges: 3 × 10 per side",
        "Lateral band walks: 3 × 10 steps each way",
    ),
)
SEE_PROFESSIONAL = Advice(
    "see_professional",
    "See a physiotherapist",
    "Strong or recurring numbness needs a professional look; runload cannot tell its cause.",
    (
        "Book a physiotherapist or a sports doctor",
        "Bring the numbness log; mention the Trendelenburg test (glute medius weakness)",
        "Until then run short and easy, and stop if the numbness gets worse",
    ),
)

GLUTE_MEDIUS = Advice(
    "glute_medius",
    "Strengthen the glute medius",
    "The Trendelenburg self-check found a weak glute medius. Strengthen it three times a "
    "week; it takes about six weeks to show.",
    (
        "Side-lying hip abduction: 3 × 15",
        "Clamshells with a band: 3 × 15",
        "Single-leg stance, pelvis level in the mirror: 3 × 30 s",
        "Lateral band walks: 3 × 10 steps each way",
        "Three times a week; check again in two weeks (runload selfcheck)",
    ),
)
HIP_FLEXOR_RELEASE = Advice(
    "hip_flexor_release",
    "Stretch the hip flexor",
    "The Thomas self-check found a tight hip flexor. Stretch it every day, and stand up "
    "from the desk often.",
    (
        "Kneeling hip flexor stretch: 3 × 30 s, twice a day",
        "Couch stretch, knee against the wall: 2 × 45 s",
        "At the desk: stand up every 30 minutes and push the hips forward for a few breaths",
        "Check again in two weeks (runload selfcheck)",
    ),
)

ADVICE: dict[str, Advice] = {
    a.code: a
    for a in (
        HIP_FLEXOR_STRETCH,
        REST_RICE,
        MOVEMENT_BREAKS,
        CUSHION,
        GLUTE_MEDIUS,
        HIP_FLEXOR_RELEASE,
        GLUTE_STRENGTH,
        SEE_PROFESSIONAL,
    )
}


# --- advice worded for the day (the side a self-test found, the day's unbroken sitting) ----


def _glute_medius(advice: Advice, side: str) -> Advice:
    """The weak side's own exercises: ``left`` means standing on the left leg the right hip
    dropped, so the left glute medius works (lying on the right side, lifting the left)."""
    if side == "both":
        title, lie, stand = "Strengthen both glute medius muscles", "on each side", "on each leg"
        found = "on either leg the other hip dropped"
    else:
        other = "right" if side == "left" else "left"
        title = f"Strengthen the {side} glute medius"
        lie, stand = f"lying on your {other} side, lifting the {side} leg", f"on the {side} leg"
        found = f"standing on the {side} leg, the {other} hip dropped"
    clams = "each side" if side == "both" else f"the {side} knee up"
    steps = (
        f"Side-lying hip abduction, {lie}: 3 × 15",
        f"Clamshells with a band, {clams}: 3 × 15",
        f"Single-leg stance {stand}, pelvis level in the mirror: 3 × 30 s",
        *advice.steps[3:],
    )
    text = (
        f"The Trendelenburg self-check found a weak glute medius ({found}). Strengthen it three "
        "times a week; it takes about six weeks to show."
    )
    return Advice(advice.code, title, text, steps)


def _hip_flexor_release(advice: Advice, side: str) -> Advice:
    knee = "each knee in turn" if side == "both" else f"the {side} knee"
    title = "Stretch both hip flexors" if side == "both" else f"Stretch the {side} hip flexor"
    thigh = "both thighs" if side == "both" else f"the {side} thigh"
    steps = (
        f"Kneeling hip flexor stretch, {knee} down: 3 × 30 s, twice a day",
        f"Couch stretch, {knee} against the wall: 2 × 45 s",
        *advice.steps[2:],
    )
    text = (
        f"The Thomas self-check found a tight hip flexor ({thigh} lifted). Stretch it every "
        "day, and stand up from the desk often."
    )
    return Advice(advice.code, title, text, steps)


def _movement_breaks(advice: Advice, param: str) -> Advice:
    """``160|Tuesday`` → "You sat 2 h 40 min without a break on Tuesday." first."""
    from runload.wording import duration

    minutes, weekday = param.split("|")
    said = f"You sat {duration(float(minutes))} without a break on {weekday}. "
    return Advice(advice.code, advice.title, said + advice.text, advice.steps)


WORDED: dict[str, Callable[[Advice, str], Advice]] = {
    "glute_medius": _glute_medius,
    "hip_flexor_release": _hip_flexor_release,
    "movement_breaks": _movement_breaks,
}


def advice_params(settings: Settings) -> dict[str, pl.Expr]:
    """What each worded code's text needs from the day (null: the plain text)."""
    return {
        "glute_medius": pl.col("_trendelenburg_side"),
        "hip_flexor_release": pl.col("_thomas_side"),
        "movement_breaks": pl.format(
            "{}|{}",
            pl.col("longest_sit_minutes").round(0).cast(pl.Int64),
            pl.col("date").dt.strftime("%A"),
        ),
    }


def worded(texts: dict[str, Advice], key: str) -> Advice:
    """The advice of one key, ``code`` or ``code@param`` (``advise_days``)."""
    code, _, param = key.partition("@")
    advice = texts[code]
    return WORDED[code](advice, param) if param and code in WORDED else advice


def catalogue(settings: Settings) -> dict[str, Advice]:
    """The advice texts in effect (``rest_rice`` follows ``[advice] acute_care``)."""
    out = dict(ADVICE)
    if settings.advice.acute_care == "peace_love":
        out["rest_rice"] = REST_PEACE_LOVE
    return out


def advice_conditions(settings: Settings) -> dict[str, pl.Expr]:
    """One boolean expression per code, over a scored daily table (``risk``, ``runs``,
    ``sitting_hours``, ``sitting_source``, ``seat``, ``numbness``, ``_p_sitting``, the
    self-test rules' ``_<test>_side`` / ``_<test>_persists`` and ``_pain_persists``)."""
    a, r = settings.advice, settings.risk
    raised = pl.col("risk").is_in(["elevated", "high"])
    offset = (
        pl.when(pl.col("sitting_source") == "device")
        .then(settings.sitting.device_offset_hours)
        .otherwise(0.0)
    )
    long_sitting = (pl.col("sitting_hours") - offset >= a.movement_hours - EPS).fill_null(False)
    numb = pl.col("numbness").cast(pl.Int64)
    numb_days = (numb >= r.numbness).fill_null(False).cast(pl.Int64)
    trendelenburg = pl.col("_trendelenburg_side").is_not_null()
    return {
        "hip_flexor_stretch": (pl.col("runs") > 0) & raised,
        "rest_rice": pl.col("risk") == "high",
        "movement_breaks": (pl.col("_p_sitting") > 0) | long_sitting,
        "cushion": (pl.col("seat") == "hard").fill_null(False),
        "glute_medius": trendelenburg,
        "hip_flexor_release": pl.col("_thomas_side").is_not_null(),
        "glute_strength": (
            raised.cast(pl.Int64).rolling_sum(a.glute_window_days, min_samples=1).over(ATHLETE_KEY)
            >= a.glute_days
        )
        & ~trendelenburg,  # the self-check's own glute work says more
        "see_professional": (numb >= a.professional_numbness).fill_null(False)
        | (
            numb_days.rolling_sum(a.professional_window_days, min_samples=1).over(ATHLETE_KEY)
            >= a.professional_days
        )
        | pl.col("_trendelenburg_persists")
        | pl.col("_thomas_persists")
        | pl.col("_pain_persists"),
    }


def advise_days(days: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Add ``advice``: the list of advice structs that apply to each day, in catalogue order.

    The codes are chosen with expressions, each with what its wording needs from the day
    (``code@param``: the side of a self-test, the day's unbroken sitting); the distinct
    combinations are then joined to their texts, so a text is built once per combination,
    not per day."""
    texts = catalogue(settings)
    conditions = advice_conditions(settings)
    params = advice_params(settings)

    def key(code: str) -> pl.Expr:
        if code not in params:
            return pl.lit(code)
        return pl.coalesce(pl.format("{}@{}", pl.lit(code), params[code]), pl.lit(code))

    codes = pl.concat_list(
        [pl.when(cond).then(key(code)).otherwise(None) for code, cond in conditions.items()]
    ).list.drop_nulls()
    days, added = keyed(days)
    frame = days.with_columns(codes.list.join(",").alias("_codes"))
    combos = frame.get_column("_codes").unique().to_list()
    lookup = pl.DataFrame(
        {
            "_codes": combos,
            "advice": [[worded(texts, c).as_dict() for c in k.split(",") if c] for k in combos],
        },
        schema={"_codes": pl.String, "advice": pl.List(ADVICE_DTYPE)},
    )
    frame = frame.join(lookup, on="_codes", how="left", maintain_order="left").drop("_codes")
    return frame.drop(ATHLETE_KEY) if added else frame
