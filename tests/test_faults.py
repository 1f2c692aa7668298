"""Every fault scenario of bench/faults.py, with real files, processes and DuckDB files."""

import pytest

from bench.faults import SCENARIOS


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_scenario(name, tmp_path):
    print(SCENARIOS[name](tmp_path))
