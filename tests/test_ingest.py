"""The ingest step on a real DuckDB file: hashes, duplicates (by bytes and by text), renames, orphaned
duplicates, pruning."""

import os

import duckdb
import pytest

from orchestration.ingest import ingest_folder
from orchestration.parse_pool import parse_all
from sources import parse_report
from tests.conftest import SAMPLE_FILES, age
from tests.test_formats import TEXT, gov_page

SAMPLE = SAMPLE_FILES[1]


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "ingest.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def put(folder, name, data):
    (folder / name).write_bytes(data)
    age(folder / name)


def mentions_of(con, name):
    return con.execute("select count(*) from raw.indicator_mentions where source_file = ?", [name]).fetchall()[0][0]


def total(con):
    return con.execute("select count(*) from raw.indicator_mentions").fetchall()[0][0]


def test_unchanged_files_are_not_parsed_again(con, inbox):
    put(inbox, "a.txt", SAMPLE.read_bytes())
    assert ingest_folder(con, inbox).parsed == ["a.txt"]
    again = ingest_folder(con, inbox)
    assert (again.parsed, again.unchanged) == ([], ["a.txt"])


def test_a_renamed_file_adds_no_rows(con, inbox):
    put(inbox, "old name.txt", SAMPLE.read_bytes())
    ingest_folder(con, inbox)
    count = total(con)
    (inbox / "old name.txt").rename(inbox / "new name.txt")
    summary = ingest_folder(con, inbox)
    assert summary.duplicates == [("new name.txt", "old name.txt")]
    assert total(con) == count


def test_a_duplicate_is_loaded_when_its_original_changes(con, inbox):
    put(inbox, "a.txt", SAMPLE.read_bytes())
    put(inbox, "b.txt", SAMPLE.read_bytes())
    ingest_folder(con, inbox)
    assert mentions_of(con, "b.txt") == 0
    count = mentions_of(con, "a.txt")
    put(inbox, "a.txt", "新增城镇就业13.1万人。".encode("utf-8"))
    ingest_folder(con, inbox)
    assert (mentions_of(con, "a.txt"), mentions_of(con, "b.txt")) == (1, count)


def test_pruning_a_deleted_original_loads_its_duplicate(con, inbox):
    put(inbox, "a.txt", SAMPLE.read_bytes())
    put(inbox, "b.txt", SAMPLE.read_bytes())
    ingest_folder(con, inbox)
    count = total(con)
    (inbox / "a.txt").unlink()
    ingest_folder(con, inbox, prune_missing=True)
    assert (mentions_of(con, "a.txt"), mentions_of(con, "b.txt")) == (0, count)


def test_a_file_still_being_written_is_left_for_later(con, inbox):
    (inbox / "fresh.txt").write_bytes(SAMPLE.read_bytes())
    summary = ingest_folder(con, inbox, settle_seconds=60)
    assert (summary.unsettled, summary.parsed) == (["fresh.txt"], [])


def put_bytes_name(folder, name: bytes, data: bytes):
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as fh:
        fh.write(data)
    age(os.fsdecode(path))
    return path


def test_names_that_are_not_utf8_load_rerun_rename_and_prune(con, inbox):
    put(inbox, "good.txt", SAMPLE.read_bytes())
    gbk = put_bytes_name(inbox, "罗湖区报告.txt".encode("gb18030"), "新增城镇就业13.1万人。".encode("utf-8"))
    put_bytes_name(inbox, b"bad\xff\xfename.txt", "新增学位4.25万个。".encode("utf-8"))
    summary = ingest_folder(con, inbox)
    assert sorted(summary.parsed) == ["bad\\xff\\xfename.txt", "good.txt", "罗湖区报告.txt"]
    names = dict(con.execute("select source_file, source_file_bytes from raw.documents").fetchall())
    assert names["罗湖区报告.txt"] == "罗湖区报告.txt".encode("gb18030")
    assert mentions_of(con, "bad\\xff\\xfename.txt") == 1

    again = ingest_folder(con, inbox)
    assert again.parsed == [] and len(again.unchanged) == 3

    os.rename(gbk, os.path.join(os.fsencode(inbox), "罗湖区报告(2).txt".encode("gb18030")))
    renamed = ingest_folder(con, inbox)
    assert renamed.duplicates == [("罗湖区报告(2).txt", "罗湖区报告.txt")]
    ingest_folder(con, inbox, prune_missing=True)
    assert mentions_of(con, "罗湖区报告(2).txt") == 1 and mentions_of(con, "罗湖区报告.txt") == 0


def test_unreadable_entries_are_rejected_with_their_reason(con, inbox):
    put(inbox, "good.txt", SAMPLE.read_bytes())
    os.symlink(inbox / "nowhere.txt", inbox / "dangling.txt")
    os.mkfifo(inbox / "pipe.txt")
    summary = ingest_folder(con, inbox)
    assert summary.parsed == ["good.txt"]
    rejected = dict(con.execute("select source_file, reason from raw.rejected_files").fetchall())
    assert set(rejected) == {"dangling.txt", "pipe.txt"}
    assert "broken symbolic link" in rejected["dangling.txt"] and "named pipe" in rejected["pipe.txt"]
    (inbox / "dangling.txt").unlink()
    ingest_folder(con, inbox)
    assert {r[0] for r in con.execute("select source_file from raw.rejected_files").fetchall()} == {"pipe.txt"}


def test_the_same_report_as_text_and_web_page_is_one_document(con, inbox):
    """Keyed by the text read, not the bytes: both names are on record, the figures counted once."""
    put(inbox, "report.txt", TEXT.encode("utf-8"))
    put(inbox, "report.html", gov_page("gbk"))
    summary = ingest_folder(con, inbox)
    assert summary.parsed == ["report.html"] and summary.duplicates == [("report.txt", "report.html")]
    assert documents(con) == [("report.html", "loaded", None, "html"), ("report.txt", "duplicate", "report.html", "text")]
    count = total(con)
    put(inbox, "report copy.htm", gov_page("utf-8"))  # a later delivery of the same report
    assert ingest_folder(con, inbox).duplicates == [("report copy.htm", "report.html")]
    assert total(con) == count


def test_of_two_new_copies_the_first_by_name_is_loaded_whatever_order_they_parse_in(con, inbox, monkeypatch):
    """Worker processes finish in any order: a copy parsed first but named later gives way."""
    import orchestration.ingest as ingest

    def last_first(jobs, budget, workers):
        return reversed(list(parse_all(jobs, budget, workers)))

    monkeypatch.setattr(ingest, "parse_all", last_first)
    put(inbox, "a.txt", TEXT.encode("utf-8"))
    put(inbox, "b.html", gov_page("utf-8"))
    put(inbox, "c.txt", TEXT.encode("utf-8"))  # the bytes of a.txt
    summary = ingest_folder(con, inbox)
    assert summary.parsed == ["a.txt"]
    assert documents(con) == [("a.txt", "loaded", None, "text"), ("b.html", "duplicate", "a.txt", "html"),
                              ("c.txt", "duplicate", "a.txt", "text")]
    assert total(con) == summary.mentions_loaded == len(parse_report(TEXT.encode("utf-8"), "a.txt").mentions)


def documents(con):
    return con.execute("select source_file, status, duplicate_of, format from raw.documents "
                       "order by source_file").fetchall()


def test_a_warehouse_whose_documents_had_a_primary_key_keeps_its_rows_without_it(con, inbox):
    # Releases before stop 29 made raw.documents with a primary key, whose index DuckDB wrote out
    # whole at every checkpoint.
    put(inbox, SAMPLE.name, SAMPLE.read_bytes())
    ingest_folder(con, inbox)
    columns = con.execute("select column_name, data_type from information_schema.columns where table_schema = 'raw' "
                          "and table_name = 'documents' order by ordinal_position").fetchall()
    ddl = ", ".join(f"{name} {kind}" + (" primary key" if name == "document_id" else "") for name, kind in columns)
    before = con.execute("select * from raw.documents").fetchall()
    con.execute("create table raw.documents_old as select * from raw.documents")
    con.execute("drop table raw.documents")
    con.execute(f"create table raw.documents ({ddl})")
    con.execute("insert into raw.documents select * from raw.documents_old")
    con.execute("drop table raw.documents_old")
    con.execute("create view present_documents as select document_id from raw.documents where is_present")

    def keys() -> list:
        return con.execute("select constraint_type from duckdb_constraints() where schema_name = 'raw' "
                           "and table_name = 'documents' and constraint_type = 'PRIMARY KEY'").fetchall()

    assert keys() == [("PRIMARY KEY",)]
    put(inbox, "more.txt", "新增城镇就业13.1万人。".encode())
    summary = ingest_folder(con, inbox)
    assert keys() == [] and summary.parsed == ["more.txt"]
    assert set(before) <= set(con.execute("select * from raw.documents").fetchall())
    assert con.execute("select count(*) from present_documents").fetchall() == [(2,)]
