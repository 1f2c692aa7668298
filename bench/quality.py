"""Per-attribute extraction scores on a folder of reports against a gold file.

    python bench/quality.py [--reports sources/samples] [--gold ../shared/gold/seeds.jsonl] [--show]

Parses every report with ``sources`` (no Dagster, no dbt), writes a throwaway DuckDB file with a
``fact_indicator`` table and scores it with the shared ``score.py``; also prints the share of
mentions that got a real domain (not 'general') and the parse speed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources import RejectedFile, parse_report  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", default=str(ROOT / "sources" / "samples"))
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "gold" / "seeds.jsonl"))
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()

    frames, chars, started = [], 0, time.perf_counter()
    for path in sorted(Path(args.reports).glob("*")):
        if not path.is_file():
            continue
        try:
            report = parse_report(path.read_bytes(), path.name)
        except RejectedFile as err:
            print(f"rejected {path.name}: {err.reason}")
            continue
        chars += report.document["char_count"]
        frames.append(report.mentions)
    seconds = time.perf_counter() - started
    mentions = pl.concat(frames) if frames else pl.DataFrame()
    print(f"files: {len(frames)}  mentions: {mentions.height}  chars: {chars}  "
          f"parse: {seconds:.2f}s ({chars / max(seconds, 1e-9):,.0f} chars/s)")
    if mentions.height:
        known = mentions.filter(pl.col("domain_id") != "general").height / mentions.height
        print(f"domain assigned (not 'general'): {known:.1%}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "quality.duckdb"
        con = duckdb.connect(str(db))
        con.execute("create table fact_indicator as select * from mentions")
        con.close()
        cmd = [sys.executable, str(ROOT.parent / "shared" / "eval" / "score.py"), "--warehouse", str(db), "--gold", args.gold]
        if args.show:
            cmd.append("--show")
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
