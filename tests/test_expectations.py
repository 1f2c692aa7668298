"""Great Expectations suites run for real on DuckDB rows, and fail on bad units and years."""

import json
import subprocess
import sys

import duckdb
import pytest

from expectations.suites import units_suite, years_suite
from expectations.validate import validate

GOOD = [("k1", "a.txt", "5%", "%", "growth", 5.0, 2024, 2025, False),
        ("k2", "a.txt", "8家", "家", "level", 8.0, 2025, 2025, True)]


def warehouse(tmp_path, rows):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("""create table fact_indicator (indicator_key varchar, source_file varchar, mention_text varchar,
                   unit varchar, metric varchar, value double, period_year integer, report_year integer,
                   is_target boolean)""")
    con.executemany("insert into fact_indicator values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return con


@pytest.mark.parametrize("suite", [units_suite, years_suite])
def test_good_rows_pass(tmp_path, suite):
    result = validate(warehouse(tmp_path, GOOD), suite(), tmp_path / "gx")
    assert result.success, result.failed
    assert result.result_path.exists()


def test_a_unit_outside_the_canonical_set_fails(tmp_path):
    rows = GOOD + [("k3", "a.txt", "3英里", "英里", "level", 3.0, 2024, 2025, False)]
    result = validate(warehouse(tmp_path, rows), units_suite())
    assert not result.success
    failed = {f["column"]: f for f in result.failed}
    assert failed["unit"]["unexpected_count"] == 1 and "英里" in failed["unit"]["examples"]
    assert failed["unit"]["rows"] == [{"source_file": "a.txt", "mention_text": "3英里", "unit": "英里"}]


def test_a_share_above_100_percent_fails(tmp_path):
    rows = GOOD + [("k3", "a.txt", "130%", "%", "share", 130.0, 2024, 2025, False)]
    assert not validate(warehouse(tmp_path, rows), units_suite()).success


@pytest.mark.parametrize("bad", [
    ("k3", "a.txt", "5%", "%", "growth", 5.0, 1900, 2025, False),  # before 1949
    ("k3", "a.txt", "5%", "%", "growth", 5.0, 1990, 2025, False),  # far from the report year
    ("k3", "a.txt", "5%", "%", "growth", 5.0, 2023, 2025, True),  # a target in the report's past
])
def test_bad_years_fail(tmp_path, bad):
    result = validate(warehouse(tmp_path, GOOD + [bad]), years_suite())
    assert not result.success


def test_a_bad_year_beside_rows_without_one_fails_and_shows_as_written(tmp_path):
    # A column with nulls reaches GX as floats; the failure still shows the year as the row has it.
    rows = GOOD + [("k3", "a.txt", "5%", "%", "growth", 5.0, None, None, False),
                   ("k4", "a.txt", "8%", "%", "growth", 8.0, 2150, 2025, True)]
    result = validate(warehouse(tmp_path, rows), years_suite())
    failed = {f["column"]: f for f in result.failed}
    assert failed["period_year"]["unexpected_count"] == 1 and failed["period_year"]["examples"] == ["2150"]
    assert failed["period_year"]["rows"] == [{"source_file": "a.txt", "mention_text": "8%", "period_year": "2150"}]


def test_great_expectations_validates_without_loading_scipy_stats_or_altair_until_they_are_used(tmp_path):
    # In a new interpreter: this one may have loaded them already.
    script = f"""
import json, sys, types
import duckdb
from expectations.suites import units_suite
from expectations.validate import validate
con = duckdb.connect()
con.execute("create table fact_indicator as select * from (values {GOOD[0]!r}) as t(indicator_key, source_file, "
            "mention_text, unit, metric, value, period_year, report_year, is_target)")
result = validate(con, units_suite())
loaded = [type(sys.modules["scipy.stats"]) is types.ModuleType, "altair.vegalite" in sys.modules]
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
chart = kl.alt.Chart
import altair.vegalite
print(json.dumps({{"success": result.success, "rows": result.rows, "loaded": loaded,
                  "used": [sys.modules["scipy.stats"].norm.cdf(0.0), chart is altair.vegalite.Chart]}}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert json.loads(out.stdout.splitlines()[-1]) == {
        "success": True, "rows": 1, "loaded": [False, False], "used": [0.5, True]}
