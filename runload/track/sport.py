"""Sport names from outside FIT (TCX ``Sport``, GPX ``<type>``, Strava's activity
types) → runload's, which are FIT's (``running``, ``cycling``, ...; ingest counts a
session as a run when its sport is ``running``). Unknown names give None, never a guess.
"""

from __future__ import annotations

# normalised name (lower case, spaces/dashes → "_") → (sport, sub_sport)
_NAMES: dict[str, tuple[str, str | None]] = {
    "running": ("running", None),
    "run": ("running", None),
    "street_running": ("running", "street"),
    "trail_running": ("running", "trail"),
    "trail_run": ("running", "trail"),
    "treadmill_running": ("running", "treadmill"),
    "track_running": ("running", "track"),
    "virtual_run": ("running", "virtual_activity"),
    "indoor_running": ("running", "indoor_running"),
    "cycling": ("cycling", None),
    "biking": ("cycling", None),
    "ride": ("cycling", None),
    "road_biking": ("cycling", "road"),
    "road_cycling": ("cycling", "road"),
    "mountain_biking": ("cycling", "mountain"),
    "mountain_bike_ride": ("cycling", "mountain"),
    "gravel_ride": ("cycling", "gravel_cycling"),
    "gravel_cycling": ("cycling", "gravel_cycling"),
    "virtual_ride": ("cycling", "virtual_activity"),
    "e_bike_ride": ("e_biking", None),
    "walking": ("walking", None),
    "walk": ("walking", None),
    "hiking": ("hiking", None),
    "hike": ("hiking", None),
    "swimming": ("swimming", None),
    "swim": ("swimming", None),
    "lap_swimming": ("swimming", "lap_swimming"),
    "open_water_swimming": ("swimming", "open_water"),
    "rowing": ("rowing", None),
    "alpine_ski": ("alpine_skiing", None),
    "nordic_ski": ("cross_country_skiing", None),
    "cross_country_skiing": ("cross_country_skiing", None),
}
# Strava's numeric GPX <type> (its activity type ids)
_STRAVA_IDS = {"1": "ride", "4": "hike", "9": "run", "10": "walk", "16": "swim"}


def sport_of(name: str | None) -> tuple[str, str | None] | None:
    """(sport, sub_sport) for a sport name as TCX, GPX or Strava write it; None when
    runload does not know it (TCX's ``Other`` included)."""
    if name is None:
        return None
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _STRAVA_IDS.get(key, key)
    return _NAMES.get(key)
