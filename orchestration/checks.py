"""Great Expectations suites as Dagster asset checks on fact_indicator."""


import dagster as dg

from expectations.suites import ALL_ROWS, CHANGED_ROWS, SUITES
from expectations.validate import validate
from orchestration import progress
from orchestration.resources import WarehouseResource, released_on_failure

# Each suite is a check of its own in the Dagster UI, with its own verdict and metadata.
SUITE_CHECKS = {
    "units": "Units are canonical; % values sit in a sane range for their metric.",
    "years": "period_year is 1949–2100, near its report's year, and no target lies before its report.",
    "ranges": "Canonical indicators (GDP growth, unemployment rate …) lie in their plausible range "
              "(seed indicator_ranges.csv).",
    "totals": "Whole-table aggregates: every unit canonical, every year plausible, no value missing.",
}
FACT = dg.AssetKey("fact_indicator")


# One step runs the suites a run selects, on one connection to the build: a step of its own for each
# cost a one-file run a few tenths of a second in Dagster's step overhead. Blocking, so publishing
# waits for the verdicts; WARN, so a failed expectation is reported without holding back every
# other file's data.
@dg.multi_asset_check(
    name="fact_indicator_gx",
    specs=[dg.AssetCheckSpec(f"gx_{key}", asset=FACT, description=text, blocking=True)
           for key, text in SUITE_CHECKS.items()],
    can_subset=True,
)
def gx_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    build = warehouse.build(context)
    progress.current().phase("validating (Great Expectations)")
    selected = {key.name for key in context.selected_asset_check_keys}
    with released_on_failure(build):
        # The rows this run changed; every row when the run is a full check (the daily schedule).
        rows = ALL_ROWS if build.state()["full_check"] else CHANGED_ROWS
        with build.connect(read_only=True) as con:
            results = {key: validate(con, SUITES[key](), warehouse.settings.gx_results_dir, rows=rows)
                       for key in SUITE_CHECKS if f"gx_{key}" in selected}
    for key, result in results.items():
        yield dg.AssetCheckResult(
            check_name=f"gx_{key}",
            asset_key=FACT,
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
