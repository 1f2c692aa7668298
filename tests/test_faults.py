"""Every fault scenario of bench/faults.py, with real files, processes and DuckDB files."""

import pytest

from bench.faults import SCENARIOS, use_built_samples

# Scenarios that start from a new, empty warehouse rather than from the samples' build.
FROM_SCRATCH = {"first_run_on_bad_and_odd_input"}


# Seconds each takes on its own (the first to need the samples' build also builds it).
COSTS = {"kill_during_parse_and_checks_then_sensor": 105, "first_run_on_bad_and_odd_input": 42,
         "redelivery_change_delete_and_readers": 33, "concurrent_runs": 35}


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.cost(COSTS[name])) for name in SCENARIOS])
def test_fault_scenario(name, tmp_path, request):
    if name not in FROM_SCRATCH:
        # The scenario starts from the samples' warehouse, which the suite has built once already.
        use_built_samples(request.getfixturevalue("built").settings.warehouse_path)
    print(SCENARIOS[name](tmp_path))
