"""Device display names from the FIT SDK tables in ``profile`` (generated)."""

from __future__ import annotations

from typing import Any

from runload.fit.messages import Message
from runload.fit.profile import GARMIN_PRODUCT_MAKERS, GARMIN_PRODUCTS, MANUFACTURERS


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def recording_device(file_id: Message | None, creator: Message | None) -> str | None:
    """The recording device, named from the current FIT SDK profile (``profile``): the
    file_id's maker and product, else the creator device_info's."""
    source = file_id
    if creator is not None and (source is None or source.raw.get("manufacturer") is None):
        source = creator
    if source is None:
        return None
    raw = source.raw
    # "product", or the maker's subfield: "garmin_product", "strava_product" (as named
    # by the fitparse build's profile; the number is the same)
    product = next((v for k, v in raw.items() if k == "product" or k.endswith("_product")), None)
    product_name = source.values.get("product_name")
    return device_name(
        _int(raw.get("manufacturer")),
        _int(product),
        product_name if isinstance(product_name, str) and product_name.strip() else None,
    )


def device_name(
    manufacturer: int | None, product: int | None, product_name: str | None = None
) -> str | None:
    """Display name of a device from file_id/device_info numbers.

    (1, 3113) -> "Garmin Forerunner 945"; a number the tables lack -> "Garmin (product 99999)"
    or "manufacturer 9999 (product 5)". ``product_name`` (the string field that Connect IQ and
    other makers' devices write) names the model when the product number is not in the table.
    """
    maker = None
    if manufacturer is not None:
        maker = MANUFACTURERS.get(manufacturer, f"manufacturer {manufacturer}")
    model = None
    if product is not None and manufacturer in GARMIN_PRODUCT_MAKERS:
        model = GARMIN_PRODUCTS.get(product)
    if model is None and product_name and product_name.strip():
        model = product_name.strip()
        if manufacturer is not None and manufacturer not in MANUFACTURERS:
            return f"{model} ({maker})"
    if model is None:
        if product is None:
            return maker
        return f"{maker} (product {product})" if maker else f"product {product}"
    if maker is None or f"{model} ".lower().startswith(f"{maker} ".lower()):
        return model
    return f"{maker} {model}"
