"""Every fault scenario of bench/faults.py, with real files, processes and DuckDB files."""

import pytest

from bench.faults import SCENARIOS, use_built_samples


@pytest.fixture(scope="module", autouse=True)
def samples_already_built(built):
    """The scenarios start from the samples' warehouse, which the suite has built once already."""
    use_built_samples(built[0].warehouse_path)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_scenario(name, tmp_path):
    print(SCENARIOS[name](tmp_path))
