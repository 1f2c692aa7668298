"""``zhibiao-dbt``: dbt with its PyPI version lookup switched off.

dagster-dbt runs ``dbt --version`` before each dbt step, and dbt answers it by asking pypi.org
for the latest release (whatever telemetry says). zhibiao reaches no network at run time, so
this entry point answers ``--version`` from the installed package metadata (without loading
dbt, which takes seconds) and otherwise is plain dbt.
"""

from __future__ import annotations

import sys
from importlib.metadata import version


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"Core:\n  - installed: {version('dbt-core')}\n\nPlugins:\n  - duckdb: {version('dbt-duckdb')}")
        sys.exit(0)
    no_version_lookup()
    from dbt.cli.main import cli

    sys.exit(cli())


def no_version_lookup() -> None:
    """dbt in this process never asks PyPI for its latest release."""
    import dbt.version

    dbt.version.get_latest_version = lambda *args, **kwargs: None


if __name__ == "__main__":
    main()
