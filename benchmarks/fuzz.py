"""Benchmark: the long mutation fuzz of the real FIT fixtures (``tools.fitfuzz``).

Reads ``../shared/fixtures/fit`` (files past ``--max-bytes`` condensed to about
``--budget`` bytes: their head, definitions and summary), then, in this one process:

* the baseline: every corpus file as it is, through the same path (files/s);
* the fuzz: seeds ``--seed`` … on until ``--files`` cases or ``--minutes``, whichever comes
  first, each read by ``runload.readers.read_activity`` and turned into its cache entry,
  under a watchdog of ``--per-file-s`` seconds; every ``--differential``-th case is also
  read by the fast and the public decoder, which must agree message for message where
  the fast one reads it to its end.

It prints the files tried, the time, files/s and its ratio to the baseline, the failures
(a reader exception, a malformed problem, a file neither read nor reported) and the hangs
with their seeds (their bytes saved under ``benchmarks/_data/fuzz/``), the cases per
mutation, the decoder that read them, and the problems by code (the ``code`` of a
``Problem`` where it has one, else its message with the numbers taken out). Exit status 1
when anything failed.

Usage::

    python benchmarks/fuzz.py                    # 100,000 files or 30 minutes
    python benchmarks/fuzz.py --files 2000       # a quicker look
    python benchmarks/fuzz.py --seed 5000000     # other cases
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, for tools.fitfuzz (dev-only)
FIXTURES = HERE.parent.parent / "shared" / "fixtures" / "fit"
SAVED = HERE / "_data" / "fuzz"
_NUMBER = re.compile(r"\d[\d,.]*")


def _code(problem: object) -> str:
    code = getattr(problem, "code", None)
    if code:
        return str(code)
    message = _NUMBER.sub("#", str(getattr(problem, "message", "")))
    return f"{getattr(problem, 'severity', '?')}: {message[:90]}"


def _baseline(corpus: list[tuple[str, bytes]], rounds: int = 3) -> float:
    """Files/s of the corpus as it is, through the fuzz's own path."""
    from tools import fitfuzz

    start = time.perf_counter()
    for _ in range(rounds):
        for name, data in corpus:
            fitfuzz.run_case(fitfuzz.Case(-1, "none", (name,), data))
    return rounds * len(corpus) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0, help="the first seed")
    parser.add_argument("--max-bytes", type=int, default=16_000)
    parser.add_argument("--budget", type=int, default=8_000)
    parser.add_argument("--per-file-s", type=float, default=30.0)
    parser.add_argument(
        "--differential", type=int, default=4, help="every Nth case: both decoders compared"
    )
    args = parser.parse_args()

    from tools import fitfuzz

    if not FIXTURES.is_dir():
        print(f"{FIXTURES} is absent: nothing to fuzz", file=sys.stderr)
        return 2
    corpus = fitfuzz.load_corpus(FIXTURES, args.max_bytes, args.budget)
    size = sum(len(d) for _, d in corpus)
    print(f"corpus: {len(corpus)} files, {size / 1e6:.2f} MB ({FIXTURES})")
    base = _baseline(corpus)
    print(f"baseline (unmutated corpus): {base:.1f} files/s")

    failures: list[str] = []
    mutations: Counter[str] = Counter()
    decoders: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    slowest: list[tuple[float, str]] = []
    tried = 0
    deadline = time.monotonic() + args.minutes * 60
    start = time.perf_counter()
    with fitfuzz.Watchdog(args.per_file_s, SAVED) as dog:
        for seed in range(args.seed, args.seed + args.files):
            if time.monotonic() > deadline:
                break
            c = fitfuzz.case(corpus, seed)
            tried += 1
            mutations[c.mutation] += 1
            began = time.perf_counter()
            try:
                with dog.case(c):
                    outcome = fitfuzz.run_case(c)
            except fitfuzz.Hang as exc:
                failures.append(f"HANG {exc}")
                continue
            took = time.perf_counter() - began
            slowest = sorted([*slowest, (took, c.describe())], reverse=True)[:5]
            why = fitfuzz.check(c, *outcome)
            if why is None and seed % args.differential == 0:
                why = fitfuzz.differ(c)
            if why is not None:
                failures.append(f"{c.describe()}: {why} ({fitfuzz.save(c, SAVED)})")
            result = outcome[0]  # (outcome[3]: a monitoring file's sitting problems)
            decoders[result.decoder if result is not None else "none"] += 1
            codes.update(_code(p) for p in (result.problems if result is not None else []))
            if tried % 5000 == 0:
                rate = tried / (time.perf_counter() - start)
                print(f"  … {tried:,} files, {rate:.1f}/s, {len(failures)} failed", flush=True)
    elapsed = time.perf_counter() - start

    rate = tried / elapsed
    print()
    print(f"files tried        {tried:,} (seeds {args.seed}–{args.seed + tried - 1})")
    print(f"time               {elapsed:,.0f} s ({elapsed / 60:.1f} min)")
    print(f"files/s            {rate:.1f} ({rate / base:.2f}× the unmutated corpus)")
    print(f"failures and hangs {len(failures)}")
    for line in failures[:50]:
        print(f"  {line}")
    print("mutations          " + ", ".join(f"{k} {n:,}" for k, n in mutations.most_common()))
    print("read by            " + ", ".join(f"{k} {n:,}" for k, n in decoders.most_common()))
    print("slowest            " + "; ".join(f"{s:.2f} s {d}" for s, d in slowest))
    print(f"problems by code   ({sum(codes.values()):,} in all)")
    for code, n in codes.most_common(30):
        print(f"  {n:>9,}  {code}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
