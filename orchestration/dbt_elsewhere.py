"""dagster-dbt, loaded in a process that runs dbt elsewhere, without loading dbt-core.

``zhibiao run``'s own process runs no dbt: its build runs in the helper process (or a dbt process
of its own). Where dbt-core can be imported, dagster-dbt imports its adapter, result and graph
modules when it loads: 1.1–1.9 s, most of what the command spent before its run could start.
dagster-dbt also works where dbt-core is installed in another environment than Dagster's, the
setup its ``dbt_executable`` is for: it then takes the asset graph from the manifest and reads
dbt's JSON events as they come. This module gives the command's process that setup. The asset
graph is the same (tests/test_definitions.py compares them), and every ``zhibiao run`` of the
tests reads its dbt events so.
"""

from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager

DBT_CORE = "dbt"


class DbtCoreHidden:
    """A finder that answers "not installed" for dbt-core's modules (``dbt`` and ``dbt.*``)."""

    def find_spec(self, name, path=None, target=None):
        if name == DBT_CORE or name.startswith(DBT_CORE + "."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@contextmanager
def dbt_core_hidden():
    finder = DbtCoreHidden()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def load_dagster_dbt() -> None:
    """Import dagster-dbt as if dbt-core were not installed, unless either is loaded already (a
    process that runs dbt itself, as the tests or the warm run worker, keeps them as they are).
    dbt-core stays importable afterwards: only dagster-dbt's choice is made without it."""
    if "dagster_dbt" in sys.modules or DBT_CORE in sys.modules:
        return
    with dbt_core_hidden():
        importlib.import_module("dagster_dbt")
