"""Device display names from the FIT SDK tables in ``profile`` (generated)."""

from __future__ import annotations

from runload.fit.profile import GARMIN_PRODUCT_MAKERS, GARMIN_PRODUCTS, MANUFACTURERS


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
