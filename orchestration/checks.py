"""Great Expectations suites as Dagster asset checks on fact_indicator."""


import dagster as dg

from expectations.suites import ALL_ROWS, CHANGED_ROWS, SUITES
from expectations.validate import validate
from orchestration import progress
from orchestration.resources import WarehouseResource, released_on_failure


def gx_check(suite_key: str, description: str) -> dg.AssetChecksDefinition:
    # Blocking, so publishing waits for the verdict; WARN, so a failed expectation is reported
    # without holding back every other file's data.
    @dg.asset_check(asset="fact_indicator", name=f"gx_{suite_key}", description=description, blocking=True)
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        build = warehouse.build(context)
        progress.current().phase("validating (Great Expectations)")
        with released_on_failure(build):
            # The rows this run changed; every row when the run is a full check (the daily schedule).
            rows = ALL_ROWS if build.state()["full_check"] else CHANGED_ROWS
            with build.connect(read_only=True) as con:
                result = validate(con, SUITES[suite_key](), warehouse.settings.gx_results_dir, rows=rows)
        return dg.AssetCheckResult(
            passed=result.success,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "suite": result.suite,
                "rows_validated": result.rows,
                "scope": "all rows" if rows == ALL_ROWS else "rows of the documents this run changed",
                "expectations": result.evaluated,
                "expectations_failed": len(result.failed),
                "failures": dg.MetadataValue.json(result.failed),
                "result_file": dg.MetadataValue.path(str(result.result_path)),
            },
        )

    return check


gx_checks = [
    gx_check("units", "Units are canonical; % values sit in a sane range for their metric."),
    gx_check("years", "period_year is 1949–2100, near its report's year, and no target lies before its report."),
    gx_check("ranges", "Canonical indicators (GDP growth, unemployment rate …) lie in their plausible range "
                       "(seed indicator_ranges.csv)."),
    gx_check("totals", "Whole-table aggregates: every unit canonical, every year plausible, no value missing."),
]
