"""Text without full stops: read in bounded pieces, whole sentences kept once, budgets enforced."""

import polars as pl
import pytest

from orchestration.ingest import ingest_folder
from sources import RejectedFile, parse_report
from sources.budget import Budget
from sources.structure import MAX_SENTENCE_CHARS, PIECE_CHARS, cut_sentence
from tests.conftest import age

CLAUSE = "新增城镇就业13.1万人，"


def test_a_long_sentence_is_cut_at_its_breaks_never_through_a_number():
    sentence = "；".join(["，".join(["新增学位4.25万个"] * 30)] * 4)
    parts = cut_sentence(sentence)
    assert "".join(parts) == sentence
    assert all(len(p) <= PIECE_CHARS for p in parts)
    assert all(p.endswith(("，", "；", "个")) for p in parts)
    unbroken = "1234567890" * 100
    assert "".join(cut_sentence(unbroken)) == unbroken


def test_a_file_with_no_full_stop_keeps_every_figure_and_only_its_piece():
    report = parse_report((CLAUSE * 5000).encode("utf-8"), "flattened.txt")
    mentions = report.mentions
    assert mentions.height == 5000
    assert mentions["value"].unique().to_list() == [131000.0]
    assert mentions["indicator_name"].unique().to_list() == ["新增城镇就业"]
    assert mentions["sentence"].str.len_chars().max() <= PIECE_CHARS
    assert mentions["sentence_index"].unique().to_list() == [0]
    whole = report.long_sentences
    assert whole.height == 1 and whole["sentence"][0].count("13.1万人") == 5000
    assert whole["sentence"][0].startswith(mentions["sentence"][0])


def test_sentences_of_real_length_are_read_whole():
    sentence = "全市地区生产总值增长5.2%," + "其中" * 200 + "规上工业增加值增长6.1%。"
    assert len(sentence) < MAX_SENTENCE_CHARS
    report = parse_report(sentence.encode("utf-8"), "normal.txt")
    assert report.long_sentences.is_empty()
    assert report.mentions["sentence"].to_list() == [sentence, sentence]


def test_over_budget_files_are_rejected_with_a_reason():
    data = (CLAUSE * 2000).encode("utf-8")
    with pytest.raises(RejectedFile, match="too many figures: more than 1,000"):
        parse_report(data, "many.txt", budget=Budget(max_mentions=1000))
    with pytest.raises(RejectedFile, match="too slow to parse"):
        parse_report(data, "slow.txt", budget=Budget(seconds=0))


def test_an_over_budget_file_is_rejected_and_the_others_load(tmp_path):
    import duckdb

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "huge.txt").write_text(CLAUSE * 3000, encoding="utf-8")
    (inbox / "small.txt").write_text("新增学位4.25万个。", encoding="utf-8")
    for path in inbox.iterdir():
        age(path)
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    summary = ingest_folder(con, inbox, budget=Budget(max_mentions=1000))
    assert summary.parsed == ["small.txt"]
    assert [name for name, _ in summary.rejected] == ["huge.txt"]
    reason = con.execute("select reason from raw.rejected_files").fetchall()[0][0]
    assert "ZHIBIAO_MAX_MENTIONS" in reason
    con.close()


def test_long_sentence_rows_have_the_warehouse_schema():
    report = parse_report((CLAUSE * 100).encode("utf-8"), "x.txt")
    assert report.long_sentences.schema == pl.Schema(
        {"document_id": pl.String, "sentence_index": pl.Int32, "sentence": pl.String})
