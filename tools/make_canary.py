"""Write runload/fit/canary.fit, the file the fast FIT decoder is checked against.

It is four real FIT segments from python-fitparse's test files (MIT licence, see
runload/fit/canary.txt), chained one after the other, the last one cut short:

1. compressed-speed-distance.fit: compressed timestamp headers and records whose
   speed and distance are accumulated components;
2. elemnt-bolt-no-application-id-inside-developer-data-id.fit: developer fields
   (with a developer_data_id lacking its application id) and big-endian messages;
3. MonitoringFile.fit: monitoring messages with timestamp_16;
4. garmin-fenix-5-run.fit, the first 3029 bytes only: heart-rate records read the
   lean way, then a message cut in the middle (damage both decoders must meet at
   the same byte).

Usage: python tools/make_canary.py [FIXTURES_DIR]   (default ../shared/fixtures/fit)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = (
    ("python-fitparse__compressed-speed-distance.fit", None),
    ("python-fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit", None),
    ("python-fitparse__MonitoringFile.fit", None),
    ("python-fitparse__garmin-fenix-5-run.fit", 3029),
)


def main() -> None:
    fixtures = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/fixtures/fit"
    data = b"".join(
        (fixtures / name).read_bytes()[:cut] if cut else (fixtures / name).read_bytes()
        for name, cut in PARTS
    )
    out = ROOT / "runload" / "fit" / "canary.fit"
    out.write_bytes(data)
    print(f"{out}: {len(data)} bytes")


if __name__ == "__main__":
    main()
