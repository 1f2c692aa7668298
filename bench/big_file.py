"""Time and memory to parse one large report (default 50 MB: the samples repeated).

    python bench/big_file.py [--mb 50]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources import parse_report  # noqa: E402


def big_report(mb: float) -> bytes:
    sample = b"\n\n".join(p.read_bytes() for p in sorted((ROOT / "sources" / "samples").glob("*.txt")))
    return sample * max(1, int(mb * 1024 * 1024 / len(sample)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    mb = ap.parse_args().mb
    data = big_report(mb)
    started = time.perf_counter()
    report = parse_report(data, "big.txt")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"size: {len(data) / 1e6:.1f} MB  mentions: {report.mentions.height}  "
          f"parse: {seconds:.1f}s ({len(data) / 1e6 / seconds:.2f} MB/s)  peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
