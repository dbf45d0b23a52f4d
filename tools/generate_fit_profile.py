"""Write runload/fit/profile.py from the Garmin FIT SDK profile (dev-only tool).

fitparse ships the FIT profile of 2019 (FIT SDK 20.8), so newer devices show as bare numbers
("Garmin (product 3113)" for a Forerunner 945). This script reads the current profile from the
PyPI package ``garmin-fit-sdk`` and writes small lookup tables for manufacturer and Garmin product
names, so runload itself needs no new runtime dependency.

    python tools/generate_fit_profile.py          # rewrite runload/fit/profile.py
    python tools/generate_fit_profile.py --check  # exit 1 if the committed file is stale

The output is deterministic: the same SDK version always gives the same bytes (keys sorted).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "runload" / "fit" / "profile.py"
PACKAGE = "garmin-fit-sdk"

# --------------------------------------------------------------------------- display names
#
# The SDK names things with snake_case identifiers ("fr945", "fenix5s_plus", "edge_820",
# "wahoo_fitness"). The rules that make them readable, in order:
#
# 0. A trailing "_single_byte_product_id" goes: it says how an ANT sensor sends its id, not what
#    the device is ("hrm_fit_single_byte_product_id" -> "HRM Fit").
# 1. "vivo_" glues onto the next word: "vivo_active_hr" -> "vivoactive_hr" (Garmin's own
#    spelling is one word: vivoactive, vivosmart, vivofit, vivomove).
# 2. A name that starts with a product family from FAMILIES with more glued on gets split after
#    the family: "fr945" -> "fr 945", "venusq" -> "venu sq", "approachS44" -> "approach S44".
#    The family is then written as FAMILIES says ("fr" -> "Forerunner").
# 3. Underscores become spaces; each word is then written:
#    - as the SDK wrote it when it already has capitals ("MiPulse", "RGT", "OHR", "S12");
#    - upper-cased when its letters (before any digits) are in ACRONYMS ("hr" -> "HR",
#      "hrm1" -> "HRM1");
#    - a number with 1-3 trailing letters upper-cases them ("735xt" -> "735XT", "5s" -> "5S"),
#      except millimetres ("43mm" stays);
#    - otherwise capitalised ("plus" -> "Plus", "4iiiis" -> "4iiiis").
FAMILIES = {
    "approach": "Approach",
    "bounce": "Bounce",
    "d2": "D2",
    "descent": "Descent",
    "edge": "Edge",
    "enduro": "Enduro",
    "epix": "Epix",
    "fenix": "Fenix",
    "fr": "Forerunner",
    "instinct": "Instinct",
    "lily": "Lily",
    "swim": "Swim",
    "tactix": "Tactix",
    "venu": "Venu",
    "virb": "Virb",
    "vivoactive": "Vivoactive",
    "vivofit": "Vivofit",
    "vivomove": "Vivomove",
    "vivosmart": "Vivosmart",
}
ACRONYMS = frozenset(
    {"amoled", "apac", "bcm", "bsm", "chn", "emea", "gnss", "gps", "hr", "hrm", "icg", "idt", "jpn"}
    | {"kor", "lte", "mtb", "nci", "nfc", "oem", "ohr", "oled", "rct", "sdm", "sea", "sq", "srm"}
    | {"sram", "tq", "tv", "twn", "ut", "vdo", "ww"}
)
_FAMILY_RE = re.compile(
    "^(" + "|".join(sorted(FAMILIES, key=len, reverse=True)) + ")(?=[^_])", re.IGNORECASE
)
_WORD_RE = re.compile(r"([a-z]*)(\d*)([a-z]*)")


def _word(word: str) -> str:
    if word.lower() in FAMILIES:
        return FAMILIES[word.lower()]
    if word != word.lower():
        return word
    parts = _WORD_RE.fullmatch(word)
    if parts is None:  # letters after digits after letters: leave it be
        return word[:1].upper() + word[1:]
    letters, digits, suffix = parts.groups()
    if letters in ACRONYMS:
        return letters.upper() + digits + suffix
    if digits and not letters and 1 <= len(suffix) <= 3 and suffix != "mm":
        return digits + suffix.upper()
    return word[:1].upper() + word[1:]


def display_name(identifier: str) -> str:
    """'fr945' -> 'Forerunner 945', 'fenix5s_plus' -> 'Fenix 5S Plus', 'wahoo_fitness' -> ..."""
    name = re.sub(r"_single_byte_product_id$", "", identifier)
    name = re.sub(r"^vivo_", "vivo", name, flags=re.IGNORECASE)
    name = _FAMILY_RE.sub(r"\1_", name)
    return " ".join(_word(word) for word in name.split("_") if word)


# --------------------------------------------------------------------------- reading the SDK


def read_profile() -> dict:
    """The parts of the SDK profile runload needs, as plain sorted data."""
    from garmin_fit_sdk.profile import Profile

    types = Profile["types"]
    file_id = next(m for m in Profile["messages"].values() if m["name"] == "file_id")
    product = next(f for f in file_id["fields"].values() if f["name"] == "product")
    makers = {
        int(ref["raw_value"])
        for sub in product["sub_fields"]
        if sub["name"] == "garmin_product"
        for ref in sub["map"]
        if ref["name"] == "manufacturer"
    }
    if not makers:
        raise SystemExit("file_id.product has no garmin_product subfield in this SDK profile")
    version = Profile["version"]
    try:
        package_version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        import garmin_fit_sdk

        package_version = garmin_fit_sdk.__version__
    return {
        "sdk_version": f"{version['major']}.{version['minor']}",
        "package_version": package_version,
        "manufacturers": {int(k): display_name(v) for k, v in types["manufacturer"].items()},
        "garmin_products": {int(k): display_name(v) for k, v in types["garmin_product"].items()},
        "garmin_product_makers": sorted(makers),
    }


# --------------------------------------------------------------------------- writing the module

_HEADER = '''\
"""Manufacturer and Garmin product names from the Garmin FIT SDK profile.

Generated by tools/generate_fit_profile.py from garmin-fit-sdk {package_version} (FIT SDK profile
version {sdk_version}). Do not edit by hand: run `python tools/generate_fit_profile.py` instead.
"""

SDK_VERSION: str = "{sdk_version}"
SDK_PACKAGE_VERSION: str = "{package_version}"

'''


def _dict_literal(name: str, annotation: str, table: dict[int, str]) -> str:
    lines = [f"{name}: {annotation} = {{"]
    lines += [f"    {key}: {_quote(table[key])}," for key in sorted(table)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(profile: dict) -> str:
    makers = ", ".join(str(m) for m in profile["garmin_product_makers"])
    return (
        _HEADER.format(**profile)
        + _dict_literal("MANUFACTURERS", "dict[int, str]", profile["manufacturers"])
        + "\n"
        + _dict_literal("GARMIN_PRODUCTS", "dict[int, str]", profile["garmin_products"])
        + "\n# Manufacturers whose file_id/device_info product number is a garmin_product.\n"
        + f"GARMIN_PRODUCT_MAKERS: frozenset[int] = frozenset({{{makers}}})\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = parser.parse_args(argv)
    try:
        profile = read_profile()
    except ImportError:
        print(f"{PACKAGE} is not installed: pip install {PACKAGE}", file=sys.stderr)
        return 2
    text = render(profile)
    relative = OUTPUT.relative_to(REPO_ROOT)
    if not args.check:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {relative} (garmin-fit-sdk {profile['package_version']})")
        return 0
    if not OUTPUT.exists():
        print(f"{relative} is missing: run python tools/generate_fit_profile.py")
        return 1
    committed = OUTPUT.read_text(encoding="utf-8")
    if committed == text:
        return 0
    found = re.search(r'^SDK_PACKAGE_VERSION: str = "([^"]*)"', committed, re.MULTILINE)
    if found and found.group(1) != profile["package_version"]:
        installed = profile["package_version"]
        reason = f"made from garmin-fit-sdk {found.group(1)}, {installed} is installed"
    else:
        old, new = committed.splitlines(), text.splitlines()
        line = next(
            (i + 1 for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
            min(len(old), len(new)) + 1,
        )
        reason = f"differs from the generated text at line {line}"
    print(f"{relative} is stale: {reason}; run python tools/generate_fit_profile.py")
    return 1


if __name__ == "__main__":
    sys.exit(main())
