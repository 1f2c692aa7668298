"""``zhibiao-dbt``: dbt with its PyPI version lookup switched off.

dagster-dbt runs ``dbt --version`` before each dbt step, and dbt answers it by asking pypi.org
for the latest release (whatever telemetry says). zhibiao reaches no network at run time, so
this entry point answers from the installed version and otherwise is plain dbt.
"""

from __future__ import annotations

import sys


def main() -> None:
    import dbt.version

    dbt.version.get_latest_version = lambda *args, **kwargs: None
    from dbt.cli.main import cli

    sys.exit(cli())


if __name__ == "__main__":
    main()
