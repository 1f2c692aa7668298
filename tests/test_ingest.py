"""The ingest step on a real DuckDB file: hashes, duplicates, renames, orphaned duplicates, pruning."""

import duckdb
import pytest

from orchestration.ingest import ingest_folder
from tests.conftest import SAMPLE_FILES, age

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
