"""runload/fit/profile.py: device names from the current Garmin FIT SDK profile."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from runload.fit import devices, profile

REPO_ROOT = Path(__file__).resolve().parent.parent
PROFILE_PATH = REPO_ROOT / "runload" / "fit" / "profile.py"
GENERATOR = REPO_ROOT / "tools" / "generate_fit_profile.py"
FIXTURES = REPO_ROOT.parent / "shared" / "fixtures" / "fit"


def _load(name: str, path: Path) -> ModuleType:
    # By path: tools/ is not a package.
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


device_name = devices.device_name


def _sdk_types() -> dict:
    pytest.importorskip("garmin_fit_sdk", reason="garmin-fit-sdk (test extra) is not installed")
    from garmin_fit_sdk.profile import Profile

    return Profile["types"]


def _sdk_id(types: dict, type_name: str, identifier: str) -> int:
    return next(k for k, v in types[type_name].items() if v == identifier)


# --------------------------------------------------------------------------- device_name


def test_forerunner_945_has_its_name():
    assert device_name(1, 3113) == "Garmin Forerunner 945"


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("fr945", "Forerunner 945"),
        ("fr935", "Forerunner 935"),
        ("fr735xt", "Forerunner 735XT"),
        ("fenix5s_plus", "Fenix 5S Plus"),
        ("edge_820", "Edge 820"),
        ("edge500", "Edge 500"),
        ("vivoactive3", "Vivoactive 3"),
        ("vivo_active_hr", "Vivoactive HR"),
        ("fenix6S_sport", "Fenix 6S Sport"),
    ],
)
def test_well_known_garmin_products_read_from_the_sdk(identifier, expected):
    product = _sdk_id(_sdk_types(), "garmin_product", identifier)
    assert profile.GARMIN_PRODUCTS[product] == expected
    assert device_name(1, product) == f"Garmin {expected}"


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("garmin", "Garmin"),
        ("wahoo_fitness", "Wahoo Fitness"),
        ("coros", "Coros"),
        ("suunto", "Suunto"),
        ("zwift", "Zwift"),
        ("dynastream", "Dynastream"),
    ],
)
def test_well_known_manufacturers_read_from_the_sdk(identifier, expected):
    assert profile.MANUFACTURERS[_sdk_id(_sdk_types(), "manufacturer", identifier)] == expected


def test_garmin_product_makers_are_the_ones_the_sdk_names():
    types = _sdk_types()
    expected = {_sdk_id(types, "manufacturer", m) for m in ("garmin", "dynastream", "tacx")}
    assert expected <= profile.GARMIN_PRODUCT_MAKERS
    assert device_name(15, 1) == "Dynastream HRM1"


def test_tables_name_every_sdk_entry_readably():
    types = _sdk_types()
    assert set(profile.MANUFACTURERS) == set(types["manufacturer"])
    assert set(profile.GARMIN_PRODUCTS) == set(types["garmin_product"])
    for name in [*profile.MANUFACTURERS.values(), *profile.GARMIN_PRODUCTS.values()]:
        assert name and "_" not in name and name == name.strip()


def test_unknown_product_of_a_known_maker():
    assert device_name(1, 99999) == "Garmin (product 99999)"


def test_unknown_maker():
    assert device_name(9999, 5) == "manufacturer 9999 (product 5)"
    assert device_name(9999, None) == "manufacturer 9999"


def test_other_makers_product_numbers_are_not_garmin_products():
    # Wahoo's product 31 is an ELEMNT BOLT, not garmin_product 31 (the SDK's "bcm").
    assert device_name(32, 31) == "Wahoo Fitness (product 31)"


def test_product_name_wins_over_an_unknown_number():
    assert device_name(23, 0, "Ambit3 Peak") == "Suunto Ambit3 Peak"
    assert device_name(32, 31, "ELEMNT BOLT") == "Wahoo Fitness ELEMNT BOLT"
    assert device_name(1, 99999, "My CIQ app") == "Garmin My CIQ app"
    assert device_name(9999, None, "Gizmo") == "Gizmo (manufacturer 9999)"
    assert device_name(None, None, "Gizmo") == "Gizmo"


def test_a_known_number_wins_over_product_name():
    assert device_name(1, 3113, "something else") == "Garmin Forerunner 945"


def test_product_name_that_repeats_the_maker_is_not_doubled():
    assert device_name(23, None, "Suunto Ambit3 Peak") == "Suunto Ambit3 Peak"
    assert device_name(23, None, "  ") == "Suunto"


def test_nothing_known():
    assert device_name(None, None, None) is None
    assert device_name(None, None) is None
    assert device_name(None, 5) == "product 5"


def test_maker_only():
    assert device_name(1, None) == "Garmin"
    assert device_name(260, None) == "Zwift"


# --------------------------------------------------------------------------- the generator


def test_generated_profile_is_up_to_date():
    pytest.importorskip("garmin_fit_sdk", reason="garmin-fit-sdk (test extra) is not installed")
    import importlib.metadata

    # the test extra pins the SDK the table was generated from: a bump must regenerate it
    assert importlib.metadata.version("garmin-fit-sdk") == profile.SDK_PACKAGE_VERSION
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generator_check_fails_on_a_hand_edit(tmp_path, monkeypatch, capsys):
    pytest.importorskip("garmin_fit_sdk", reason="garmin-fit-sdk (test extra) is not installed")
    generator = _load("_generate_fit_profile", GENERATOR)
    edited = tmp_path / "profile.py"
    edited.write_text(PROFILE_PATH.read_text().replace("Forerunner 945", "FR 945"))
    monkeypatch.setattr(generator, "OUTPUT", edited)
    monkeypatch.setattr(generator, "REPO_ROOT", tmp_path)
    assert generator.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1 and "stale" in out
    edited.unlink()
    assert generator.main(["--check"]) == 1
    assert "missing" in capsys.readouterr().out


def test_generator_output_is_deterministic():
    pytest.importorskip("garmin_fit_sdk", reason="garmin-fit-sdk (test extra) is not installed")
    generator = _load("_generate_fit_profile", GENERATOR)
    assert generator.render(generator.read_profile()) == generator.render(generator.read_profile())


# --------------------------------------------------------------------------- real FIT files


def _file_id_numbers(path: Path) -> tuple[int | None, int | None] | None:
    import fitparse

    try:
        for message in fitparse.FitFile(str(path), check_crc=False).get_messages("file_id"):
            # get_raw_value("product") also matches the field when fitparse resolved it to the
            # garmin_product subfield (FieldData.is_named checks the parent field's name).
            return message.get_raw_value("manufacturer"), message.get_raw_value("product")
    except Exception:  # several fixtures are broken on purpose
        return None
    return None


def test_fixture_devices_the_sdk_knows_get_names():
    if not FIXTURES.is_dir():
        pytest.skip(f"no shared FIT fixtures at {FIXTURES}")
    paths = sorted(p for p in FIXTURES.iterdir() if p.suffix.lower() == ".fit")
    named = 0
    for path in paths:
        numbers = _file_id_numbers(path)
        if numbers is None:
            continue
        manufacturer, product = numbers
        name = device_name(manufacturer, product)
        if manufacturer in profile.GARMIN_PRODUCT_MAKERS and product in profile.GARMIN_PRODUCTS:
            assert name is not None and "(product" not in name, (path.name, numbers, name)
            named += 1
    assert named > 0, "no fixture has a device the SDK profile knows"
