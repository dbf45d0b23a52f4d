"""One test per advice code, and the RICE / PEACE & LOVE switch."""

from __future__ import annotations

import datetime as dt

import polars as pl

from runload.advice import ADVICE, ADVICE_DTYPE, REST_PEACE_LOVE, advise_days
from runload.config import AdviceSettings, Settings
from runload.load import long_runs
from runload.metrics import daily_table
from runload.risk import score_days
from tools.fitgen import activities_frame, run_record, sitting_frame, sitting_record

D0 = dt.date(2024, 9, 2)
DAY = dt.timedelta(days=1)


def advised(runs=(), sitting=(), *, settings: Settings | None = None, until=None) -> pl.DataFrame:
    settings = settings or Settings()
    acts = activities_frame(list(runs)).with_columns(
        pl.lit(50.0).alias("load"), pl.lit("avg_hr").alias("load_method")
    )
    acts = long_runs(acts, settings.load)
    days = daily_table(acts, sitting_frame(list(sitting)), settings, until=until)
    return advise_days(score_days(days, acts, settings), settings)


def codes(frame: pl.DataFrame, d: dt.date) -> list[str]:
    row = frame.filter(pl.col("date") == d).row(0, named=True)
    return [a["code"] for a in row["advice"]]


def test_catalogue_has_the_eight_codes_with_steps() -> None:
    assert list(ADVICE) == [
        "hip_flexor_stretch",
        "rest_rice",
        "movement_breaks",
        "cushion",
        "glute_medius",
        "hip_flexor_release",
        "glute_strength",
        "see_professional",
    ]
    for advice in ADVICE.values():
        assert advice.title and advice.text and len(advice.steps) >= 2


def test_hip_flexor_stretch_on_an_elevated_run_day_only() -> None:
    out = advised(
        [run_record(D0 + DAY, 100), run_record(D0 + 3 * DAY, 30)],
        [sitting_record(D0, 10.0), sitting_record(D0 + 2 * DAY, 10.0)],
    )
    assert "hip_flexor_stretch" in codes(out, D0 + DAY)  # long run after 10 h: elevated
    assert "hip_flexor_stretch" not in codes(out, D0 + 3 * DAY)  # short run: low
    steps = out.filter(pl.col("date") == D0 + DAY)["advice"][0][0]["steps"]
    assert "Kneeling hip flexor stretch: 2 × 30 s per side" in steps
    assert out.schema["advice"] == pl.List(ADVICE_DTYPE)


def test_rest_rice_on_high_days_and_the_peace_love_switch() -> None:
    runs = [run_record(D0 + DAY, 100)]
    sit = [sitting_record(D0, 10.0, numbness=5)]  # sitting 2 + long run 1 + symptoms 2
    out = advised(runs, sit)
    assert codes(out, D0 + DAY)[:2] == ["hip_flexor_stretch", "rest_rice"]
    rice = out.filter(pl.col("date") == D0 + DAY)["advice"][0][1]
    assert "RICE" in rice["text"] and "Ice: 15–20 min on the sore spot" in rice["steps"]
    peace = advised(runs, sit, settings=Settings(advice=AdviceSettings(acute_care="peace_love")))
    item = peace.filter(pl.col("date") == D0 + DAY)["advice"][0][1]
    assert item["code"] == "rest_rice"
    assert item["text"] == REST_PEACE_LOVE.text and "PEACE & LOVE" in item["text"]
    low = advised([run_record(D0 + DAY, 30)], [sitting_record(D0, 10.0)])
    assert "rest_rice" not in codes(low, D0 + DAY)


def test_movement_breaks_on_a_desk_day_that_stays_low() -> None:
    out = advised([], [sitting_record(D0, 8.0), sitting_record(D0 + DAY, 7.5)])
    assert codes(out, D0) == ["movement_breaks"]
    assert out["risk"].to_list() == ["low", "low"]
    assert codes(out, D0 + DAY) == []
    device = advised([], [sitting_record(D0, 8.5, kind="device")])
    assert codes(device, D0) == []  # 8.5 h from a device is under 8 + 1


def test_cushion_when_the_seat_was_hard() -> None:
    out = advised(
        [], [sitting_record(D0, 4.0, seat="hard"), sitting_record(D0 + DAY, 4, seat="soft")]
    )
    assert codes(out, D0) == ["cushion"]
    assert codes(out, D0 + DAY) == []


def test_glute_strength_after_three_raised_days_in_fourteen() -> None:
    # numbness 3 on days 0, 5, 10 → elevated on 0-1, 5-6, 10-11 (symptoms count the day after)
    sit = [sitting_record(D0 + i * DAY, 2.0, numbness=3 if i in (0, 5) else 0) for i in range(16)]
    out = advised([], sit)
    glute = [("glute_strength" in codes(out, D0 + i * DAY)) for i in range(16)]
    # raised days 0, 1, 5, 6: the 3rd arrives on day 5; day 15 keeps only 5 and 6 in view
    assert glute == [False] * 5 + [True] * 10 + [False]
    sit2 = [sitting_record(D0 + i * DAY, 2.0, numbness=3 if i == 0 else 0) for i in range(20)]
    out2 = advised([], sit2)
    assert not any("glute_strength" in codes(out2, D0 + i * DAY) for i in range(20))


def test_see_professional_for_strong_or_recurring_numbness() -> None:
    strong = advised([], [sitting_record(D0, 3, numbness=6)])
    assert "see_professional" in codes(strong, D0)
    days = [0, 2, 5, 9]
    sit = [sitting_record(D0 + i * DAY, 3, numbness=3 if i in days else 1) for i in range(10)]
    out = advised([], sit)
    seen = [("see_professional" in codes(out, D0 + i * DAY)) for i in range(10)]
    # 3 days with numbness ≥ 3 within the last 7: days 5 and 6 (0, 2, 5); day 9 sees 5, 9
    assert seen == [False] * 5 + [True, True, False, False, False]


# --- advice that follows the self-check and the day's unbroken sitting ---------------------


def _advice(frame: pl.DataFrame, d: dt.date) -> dict[str, dict]:
    row = frame.filter(pl.col("date") == d).row(0, named=True)
    return {a["code"]: a for a in row["advice"]}


def test_a_positive_trendelenburg_gives_glute_medius_work_for_its_side() -> None:
    out = advised(
        [], [sitting_record(D0, None, trendelenburg="left", thomas="none")], until=D0 + DAY
    )
    glute = _advice(out, D0 + DAY)["glute_medius"]
    assert glute["title"] == "Strengthen the left glute medius"
    assert "standing on the left leg, the right hip dropped" in glute["text"]
    assert glute["steps"][:3] == [
        "Side-lying hip abduction, lying on your right side, lifting the left leg: 3 × 15",
        "Clamshells with a band, the left knee up: 3 × 15",
        "Single-leg stance on the left leg, pelvis level in the mirror: 3 × 30 s",
    ]
    assert "Three times a week" in glute["steps"][-1]


def test_a_positive_thomas_gives_the_hip_flexor_stretch_for_both_sides() -> None:
    out = advised([], [sitting_record(D0, None, thomas="both")])
    flexor = _advice(out, D0)["hip_flexor_release"]
    assert flexor["title"] == "Stretch both hip flexors"
    assert (
        flexor["steps"][0]
        == "Kneeling hip flexor stretch, each knee in turn down: 3 × 30 s, twice a day"
    )


def test_movement_breaks_say_the_days_real_bout() -> None:
    tuesday = dt.date(2024, 9, 3)
    sit = [sitting_record(tuesday, 9.5, longest_sit_minutes=160.0, sit_breaks=3)]
    breaks = _advice(advised([], sit), tuesday)["movement_breaks"]
    assert breaks["text"].startswith("You sat 2 h 40 min without a break on Tuesday. ")
    plain = _advice(advised([], [sitting_record(tuesday, 9.5)]), tuesday)["movement_breaks"]
    assert plain["text"] == ADVICE["movement_breaks"].text


def test_a_test_positive_on_checks_two_weeks_apart_sends_to_a_physiotherapist() -> None:
    sit = [
        sitting_record(D0, None, trendelenburg="right"),
        sitting_record(D0 + 7 * DAY, None, trendelenburg="right"),
        sitting_record(D0 + 14 * DAY, None, trendelenburg="right"),
    ]
    out = advised([], sit)
    assert "see_professional" not in _advice(out, D0 + 7 * DAY)
    assert "see_professional" in _advice(out, D0 + 14 * DAY)
    # a negative check between starts the count again
    sit[1] = sitting_record(D0 + 7 * DAY, None, trendelenburg="none")
    assert "see_professional" not in _advice(advised([], sit), D0 + 14 * DAY)


def test_pain_on_checks_two_weeks_apart_sends_to_a_physiotherapist() -> None:
    sit = [
        sitting_record(D0, None, pain="knee", thomas="none"),
        sitting_record(D0 + 15 * DAY, None, pain="knee", thomas="none"),
    ]
    assert "see_professional" in _advice(advised([], sit), D0 + 15 * DAY)
