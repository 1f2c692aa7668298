"""Time and memory to parse one large file, against the bound each shape must meet.

    python bench/big_file.py                   # every shape, each in a process of its own
    python bench/big_file.py --shape one_sentence --mb 10

Shapes:
- ``samples``: copies of the sample reports (50 MB), each paragraph marked with its copy's number:
  many ordinary sentences.
- ``one_sentence``: ``新增城镇就业13.1万人，`` repeated with no full stop (10 MB): one sentence
  with a figure every 13 characters, as flattened tables and text that lost its full stops are.
A file may also be rejected for going over its budget (ZHIBIAO_PARSE_TIMEOUT,
ZHIBIAO_MAX_MENTIONS); either way it must stay within the bound.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import distinct_copies  # noqa: E402
from sources import RejectedFile, parse_report  # noqa: E402

# shape: (default size in MB, bound on seconds, bound on peak RSS in MB)
SHAPES = {"samples": (50, None, None), "one_sentence": (10, 30, 1024)}


def make(shape: str, mb: float) -> bytes:
    if shape == "one_sentence":
        unit = "新增城镇就业13.1万人，".encode("utf-8")
        return unit * max(1, int(mb * 1024 * 1024 / len(unit)))
    samples = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources" / "samples").glob("*.txt")))
    return distinct_copies(samples, max(1, int(mb * 1024 * 1024 / len(samples.encode("utf-8"))))).encode("utf-8")


def measure(shape: str, mb: float) -> bool:
    data = make(shape, mb)
    started = time.perf_counter()
    try:
        outcome = f"mentions: {parse_report(data, f'{shape}.txt').mentions.height}"
    except RejectedFile as err:
        outcome = f"rejected: {err.reason}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _, max_seconds, max_mb = SHAPES[shape]
    within = (max_seconds is None or seconds <= max_seconds) and (max_mb is None or peak <= max_mb)
    bound = "no bound" if max_seconds is None else f"bound ≤ {max_seconds} s, ≤ {max_mb} MB: {'met' if within else 'NOT MET'}"
    print(f"{shape:13s} {len(data) / 1e6:5.1f} MB  {outcome}  parse: {seconds:.1f}s "
          f"({len(data) / 1e6 / seconds:.2f} MB/s)  peak RSS: {peak:.0f} MB  ({bound})", flush=True)
    return within


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", choices=list(SHAPES))
    ap.add_argument("--mb", type=float)
    args = ap.parse_args()
    if args.shape:
        return 0 if measure(args.shape, args.mb or SHAPES[args.shape][0]) else 1
    # Each shape in a fresh process, so one's peak memory is not counted against the other.
    codes = [subprocess.call([sys.executable, __file__, "--shape", shape]) for shape in SHAPES]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
