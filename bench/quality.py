"""Per-attribute extraction scores on a folder of reports against a gold file.

    python bench/quality.py [--reports sources/samples] [--gold ../shared/gold/seeds.jsonl] [--show]

Parses every report with ``sources`` (no Dagster, no dbt), writes a throwaway DuckDB file with a
``fact_indicator`` table and scores it with the shared ``score.py``; also prints the share of
mentions that got a real domain (not 'general'), the share of names that say nothing (a bare unit,
a verb alone, one character, none), the parse speed, and region and report-year accuracy on the
development corpus (``--corpus``, whose file names are REGION_YEAR.txt), read from the text alone
and with the file name, and the character-overlap F1 of corpus names against names given by hand
(``bench/corpus_names.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources import RejectedFile, parse_report, read_document  # noqa: E402
from sources.names import VERB, name_kind  # noqa: E402
from sources.rules import load_rules  # noqa: E402


# Names a reader would search for, given by hand for 109 mentions drawn at random from the corpus
# (the span, and the few characters before it that tell repeated spans apart).
CORPUS_NAMES = ROOT / "bench" / "corpus_names.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", default=str(ROOT / "sources" / "samples"))
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "gold" / "seeds.jsonl"))
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
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
        print(f"names that say nothing: {name_quality(mentions)}")
        if Path(args.gold).is_file():
            print(f"name character-overlap F1 against the gold names: {name_overlap(mentions, Path(args.gold))}")
    if Path(args.corpus).is_dir():
        print(region_and_year_accuracy(Path(args.corpus)))
        corpus = corpus_mentions(Path(args.corpus))
        print(f"corpus names that say nothing ({corpus.height} mentions): {name_quality(corpus)}")
        print(f"corpus name character-overlap F1 against {CORPUS_NAMES.name}: {name_overlap(corpus, CORPUS_NAMES)}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "quality.duckdb"
        con = duckdb.connect(str(db))
        con.execute("create table fact_indicator as select * from mentions")
        con.close()
        cmd = [sys.executable, str(ROOT.parent / "shared" / "eval" / "score.py"), "--warehouse", str(db), "--gold", args.gold]
        if args.show:
            cmd.append("--show")
        return subprocess.call(cmd)


# A piece of text around a number rather than a name: it opens with list punctuation, holds a
# figure, or stops at 从/由 (人均预期寿命从).
FRAGMENT = re.compile(r"^[、，,;；和及与]|(?<![A-Za-z.\d])\d|[从由]$")


def name_quality(mentions: pl.DataFrame) -> str:
    """The share of names that say nothing, by kind: none or one character, a bare unit, a generic
    word (rules/name_words.csv), a verb alone (新筹建, as jieba tags it), a fragment that starts with
    a unit or list punctuation."""
    rules = load_rules()
    units = rules.unit_words
    generic = set(rules.name_words["generic"])
    kinds = {"short": 0, "unit": 0, "generic": 0, "verb": 0, "fragment": 0}
    names = mentions.get_column("indicator_name").to_list()
    for n in names:
        if not n or len(n) < 2:
            kinds["short"] += 1
        elif n in units:
            kinds["unit"] += 1
        elif n in generic:
            kinds["generic"] += 1
        elif name_kind(n) == VERB:
            kinds["verb"] += 1
        elif FRAGMENT.search(n):
            kinds["fragment"] += 1
    total = sum(kinds.values()) / max(len(names), 1)
    return f"{total:.1%} (" + ", ".join(f"{k} {v / max(len(names), 1):.1%}" for k, v in kinds.items()) + ")"


def name_overlap(mentions: pl.DataFrame, gold: Path) -> str:
    """Mean character-overlap F1 of each gold mention's name with the name extracted for the same
    span in the same file (the first unused one whose sentence has the gold's ``before`` text just
    before the span, where the gold gives one), over the gold mentions found."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in mentions.select("source_file", "mention_text", "indicator_name", "sentence").iter_rows():
        found.setdefault((Path(r[0]).name, r[1]), []).append((r[2] or "", r[3] or ""))
    scores = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        g = json.loads(line) if line.strip() else None
        if not g or not g.get("indicator"):
            continue
        candidates = found.get((g["doc"], g["span"]), [])
        at = next((i for i, (_, sentence) in enumerate(candidates)
                   if g.get("before", "") + g["span"] in sentence), None)
        if at is None:
            continue
        name = candidates.pop(at)[0]
        common = sum((Counter(name) & Counter(g["indicator"])).values())
        scores.append(0.0 if not common else 2 * common / (len(name) + len(g["indicator"])))
    return f"{sum(scores) / len(scores):.3f} over {len(scores)} names" if scores else "no gold names"


def corpus_mentions(corpus: Path) -> pl.DataFrame:
    frames = []
    for path in sorted(corpus.rglob("*.txt")):
        try:
            frames.append(parse_report(path.read_bytes(), path.name).mentions)
        except RejectedFile:
            continue
    return pl.concat(frames) if frames else pl.DataFrame(schema={"indicator_name": pl.String})


def region_and_year_accuracy(corpus: Path) -> str:
    files = sorted(corpus.rglob("*.txt"))
    right = {"region, text alone": 0, "year, text alone": 0, "region, with file name": 0, "year, with file name": 0}
    for path in files:
        region, year = path.stem.split("_")[:2]
        region = "全国" if region == "national" else region
        for how, name in (("text alone", "report.txt"), ("with file name", path.name)):
            doc = read_document(path.read_bytes(), name)[0]
            right[f"region, {how}"] += doc["region"] == region
            right[f"year, {how}"] += doc["report_year"] == int(year)
    return f"corpus ({len(files)} reports): " + ", ".join(f"{k} {v / len(files):.1%}" for k, v in right.items())


if __name__ == "__main__":
    sys.exit(main())
