"""Great Expectations suites as Dagster asset checks on fact_indicator."""


import dagster as dg

from expectations.suites import SUITES
from expectations.validate import validate
from orchestration.resources import WarehouseResource


def gx_check(suite_key: str, description: str) -> dg.AssetChecksDefinition:
    # Blocking, so publishing waits for the verdict; WARN, so a failed expectation is reported
    # without holding back every other file's data.
    @dg.asset_check(asset="fact_indicator", name=f"gx_{suite_key}", description=description, blocking=True)
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        suite = SUITES[suite_key]()
        with warehouse.connect() as con:
            result = validate(con, suite, warehouse.settings.gx_results_dir)
        return dg.AssetCheckResult(
            passed=result.success,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "suite": result.suite,
                "rows_validated": result.rows,
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
]
