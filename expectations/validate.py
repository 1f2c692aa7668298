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


def validate(con: duckdb.DuckDBPyConnection, suite: Suite, results_dir: Path | None = None,
             rows: str = "fact_indicator") -> SuiteResult:
    """Validate ``suite`` on ``rows`` (a table, or a subquery of the rows to check)."""
    gx = great_expectations()
    frame = con.execute(suite.sql.format(rows=rows)).df()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    batch = (
        context.data_sources.add_pandas("warehouse")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("all_rows")
        .get_batch(batch_parameters={"dataframe": comparable(checked_columns(frame, suite))})
    )
    gx_suite = gx.ExpectationSuite(
        name=suite.name,
        expectations=[getattr(gx.expectations, kind)(**kwargs) for kind, kwargs in suite.expectations],
    )
    result = batch.validate(gx_suite, result_format="SUMMARY")
    failed = [failure(r, frame) for r in result.results if not r.success]
    path = store(result.to_json_dict(), suite.name, results_dir) if results_dir else None
    return SuiteResult(suite.name, bool(result.success), len(frame), len(result.results), failed, path)


def checked_columns(frame: pd.DataFrame, suite: Suite) -> pd.DataFrame:
    """The columns the suite's expectations read (the others are there to show failing rows):
    GX hashes the whole frame it is given, text columns and all."""
    return frame[list(dict.fromkeys(kwargs["column"] for _, kwargs in suite.expectations))]


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its integer columns as numpy int64, or float64 where they hold nulls: GX
    compares a column with a range all at once only in those types, and value by value in Python
    in any other (DuckDB's INTEGER arrives as int32, or Int32 with nulls), which took seconds for
    the 400,000 rows of a large first build."""
    integers = {column: "float64" if frame[column].hasnans else "int64"
                for column, dtype in frame.dtypes.items() if dtype.kind in "iu"}
    return frame.astype(integers) if integers else frame


def failure(r, frame) -> dict:
    """A failed expectation with a few of the rows that broke it, for the Dagster UI."""
    column = r.expectation_config.kwargs.get("column")
    index = list(r.result.get("partial_unexpected_index_list") or [])[:5]
    shown = [c for c in ("source_file", "mention_text", column) if c in frame.columns]
    return {
        "expectation": r.expectation_config.type,
        "column": column,
        "unexpected_count": r.result.get("unexpected_count"),
        # Read from the frame as DuckDB gave it: GX saw an integer column with nulls as floats.
        "examples": (frame.loc[index, column].astype(str).tolist() if index and column in frame.columns
                     else [str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]]),
        "rows": frame.loc[index, shown].astype(str).to_dict("records") if index else [],
    }


def store(result: dict, name: str, results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    payload = {"validated_at": datetime.now(timezone.utc).isoformat(), "result": result}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
