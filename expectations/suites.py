"""The suites, as data: which expectation runs on which column of which frame.

Each suite validates a frame read from DuckDB by the SQL beside it (GX's SQL data source does not
work on DuckDB yet, so GX sees pandas frames of the warehouse's rows). Derived columns in the SQL
keep each expectation a plain column check. ``{rows}`` in the SQL is the rows to check: the rows
a run changed, or all of them on a full check; the ``totals`` suite reads whole-table aggregates,
which stay cheap however large the warehouse grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sources.rules import load_rules

# How far a figure's year may sit from its report's year: reviews reach back a five-year plan,
# targets reach forward to long-range goals (到2035年).
YEARS_BACK, YEARS_AHEAD = 10, 15


@dataclass(frozen=True)
class Suite:
    name: str
    sql: str
    expectations: list[tuple[str, dict]] = field(default_factory=list)


def units_suite() -> Suite:
    return Suite(
        name="fact_indicator_units",
        sql="""
            select indicator_key, source_file, mention_text, unit, metric, value,
                   case when unit = '%' and metric = 'share' then value end as share_percent,
                   case when unit = '%' and metric = 'level' then value end as level_percent,
                   case when unit = '%' and metric = 'growth' then value end as growth_percent
            from {rows}
        """,
        expectations=[
            ("ExpectColumnValuesToBeInSet", {"column": "unit", "value_set": load_rules().canonical_units + [""]}),
            ("ExpectColumnValuesToNotBeNull", {"column": "value"}),
            ("ExpectColumnValuesToBeBetween", {"column": "share_percent", "min_value": 0, "max_value": 100}),
            # Rates and indices that are not parts of a whole: 居民消费价格指数102%, 外贸依存度115.4%.
            ("ExpectColumnValuesToBeBetween", {"column": "level_percent", "min_value": -100, "max_value": 1000}),
            ("ExpectColumnValuesToBeBetween", {"column": "growth_percent", "min_value": -100, "max_value": 10000}),
        ],
    )


def years_suite() -> Suite:
    return Suite(
        name="fact_indicator_years",
        sql="""
            select indicator_key, source_file, mention_text, period_year, report_year, is_target,
                   period_year - report_year as years_from_report,
                   case when is_target and period_year is not null and report_year is not null
                        then period_year < report_year end as target_before_report
            from {rows}
        """,
        expectations=[
            ("ExpectColumnValuesToBeBetween", {"column": "period_year", "min_value": 1949, "max_value": 2100}),
            ("ExpectColumnValuesToBeBetween", {"column": "report_year", "min_value": 1949, "max_value": 2100}),
            ("ExpectColumnValuesToBeBetween",
             {"column": "years_from_report", "min_value": -YEARS_BACK, "max_value": YEARS_AHEAD}),
            ("ExpectColumnValuesToBeInSet", {"column": "target_before_report", "value_set": [False]}),
        ],
    )


def totals_suite() -> Suite:
    return Suite(
        name="fact_indicator_totals",
        sql="""
            select unit, count(*) as mentions, min(period_year) as first_year, max(period_year) as last_year,
                   count(*) filter (where value is null) as null_values
            from fact_indicator group by unit
        """,
        expectations=[
            ("ExpectColumnValuesToBeInSet", {"column": "unit", "value_set": load_rules().canonical_units + [""]}),
            ("ExpectColumnValuesToBeBetween", {"column": "first_year", "min_value": 1949, "max_value": 2100}),
            ("ExpectColumnValuesToBeBetween", {"column": "last_year", "min_value": 1949, "max_value": 2100}),
            ("ExpectColumnValuesToBeBetween", {"column": "null_values", "min_value": 0, "max_value": 0}),
        ],
    )


def ranges_suite() -> Suite:
    """Canonical indicators within their plausible range (seed indicator_ranges.csv): GDP growth
    between −10 and 30%, an unemployment rate between 0 and 15% …"""
    return Suite(
        name="fact_indicator_ranges",
        sql="""
            select rows.indicator_key, rows.source_file, rows.mention_text, rows.indicator_code, rows.metric,
                   rows.value, rows.value between ranges.min_value and ranges.max_value as within_range
            from {rows} as rows
            join seeds.indicator_ranges as ranges using (indicator_code, metric)
        """,
        expectations=[
            ("ExpectColumnValuesToBeInSet", {"column": "within_range", "value_set": [True]}),
        ],
    )


SUITES = {"units": units_suite, "years": years_suite, "totals": totals_suite, "ranges": ranges_suite}
ALL_ROWS = "fact_indicator"
CHANGED_ROWS = "(select * from fact_indicator where document_id in (select document_id from raw.changed_documents))"
