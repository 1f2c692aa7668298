"""Run a suite with Great Expectations 1.x on the warehouse's rows and keep the result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from expectations.gx import great_expectations
from expectations.suites import Suite

if TYPE_CHECKING:  # pandas comes with Great Expectations, loaded where a suite runs
    import pandas as pd


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    success: bool
    rows: int
    evaluated: int
    failed: list[dict]  # one per failed expectation: expectation, column, unexpected_count, examples
    result_path: Path | None


# Where a suite's rows wait while GX validates some of their columns (a temporary table: a read-only
# connection may make one, and no other connection sees it).
ROWS_TABLE = "suite_rows"


def validate(con: duckdb.DuckDBPyConnection, suite: Suite, results_dir: Path | None = None,
             rows: str = "fact_indicator") -> SuiteResult:
    """Validate ``suite`` on ``rows`` (a table, or a subquery of the rows to check)."""
    gx = great_expectations()
    # GX is given the columns the suite's expectations read, not the text columns that show a
    # failing row: it hashes every column of its frame, and text took most of the time to convert
    # (a second of a 400,000-row first build). A failure's rows are read back by position.
    con.execute(f"create or replace temporary table {ROWS_TABLE} as {suite.sql.format(rows=rows)}")
    try:
        frame = con.execute(f"select {', '.join(checked_columns(suite))} from {ROWS_TABLE} order by rowid").df()
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = {"globally": False}
        batch = (
            context.data_sources.add_pandas("warehouse")
            .add_dataframe_asset(suite.name)
            .add_batch_definition_whole_dataframe("all_rows")
            .get_batch(batch_parameters={"dataframe": comparable(frame)})
        )
        gx_suite = gx.ExpectationSuite(
            name=suite.name,
            expectations=[getattr(gx.expectations, kind)(**kwargs) for kind, kwargs in suite.expectations],
        )
        result = batch.validate(gx_suite, result_format="SUMMARY")
        failed = [failure(r, con) for r in result.results if not r.success]
    finally:
        con.execute(f"drop table if exists {ROWS_TABLE}")
    path = store(result.to_json_dict(), suite.name, results_dir) if results_dir else None
    return SuiteResult(suite.name, bool(result.success), len(frame), len(result.results), failed, path)


def checked_columns(suite: Suite) -> list[str]:
    return list(dict.fromkeys(kwargs["column"] for _, kwargs in suite.expectations))


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its integer columns as numpy int64, or float64 where they hold nulls: GX
    compares a column with a range all at once only in those types, and value by value in Python
    in any other (DuckDB's INTEGER arrives as int32, or Int32 with nulls), which took seconds for
    the 400,000 rows of a large first build."""
    integers = {column: "float64" if frame[column].hasnans else "int64"
                for column, dtype in frame.dtypes.items() if dtype.kind in "iu"}
    return frame.astype(integers) if integers else frame


def failure(r, con: duckdb.DuckDBPyConnection) -> dict:
    """A failed expectation with a few of the rows that broke it, for the Dagster UI."""
    column = r.expectation_config.kwargs.get("column")
    index = list(r.result.get("partial_unexpected_index_list") or [])[:5]
    # Read as DuckDB gives them: GX saw an integer column with nulls as floats.
    rows = rows_at(con, index)
    shown = [c for c in ("source_file", "mention_text", column) if c in rows.columns]
    return {
        "expectation": r.expectation_config.type,
        "column": column,
        "unexpected_count": r.result.get("unexpected_count"),
        "examples": (rows.loc[index, column].astype(str).tolist() if index and column in rows.columns
                     else [str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]]),
        "rows": rows.loc[index, shown].astype(str).to_dict("records") if index else [],
    }


def rows_at(con: duckdb.DuckDBPyConnection, positions: list[int]) -> pd.DataFrame:
    """The suite's rows at these positions of the frame GX validated, indexed by position."""
    return con.execute(f"select rowid as position, * from {ROWS_TABLE} where rowid in (select unnest(?::bigint[]))",
                       [positions]).df().set_index("position")


def store(result: dict, name: str, results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    payload = {"validated_at": datetime.now(timezone.utc).isoformat(), "result": result}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
