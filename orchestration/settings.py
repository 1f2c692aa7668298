"""Every setting zhibiao reads from the environment, read in this one place.

Paths are made absolute against the repository root so that the Dagster UI, the
CLI, dbt and the tests agree whatever their working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sources.budget import Budget

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SAMPLES_DIR = REPO_ROOT / "sources" / "samples"


@dataclass(frozen=True)
class Settings:
    reports_dir: Path  # REPORTS_DIR: the folder users drop report files into
    warehouse_path: Path  # WAREHOUSE_PATH: the published DuckDB file readers open
    build_dir: Path  # ZHIBIAO_BUILD_DIR: private working copy a run builds in before publishing
    schedule_cron: str  # ZHIBIAO_SCHEDULE_CRON: when the daily run happens
    sensor_interval_seconds: int  # ZHIBIAO_SENSOR_INTERVAL: how often the sensor looks at the folder
    settle_seconds: float  # ZHIBIAO_SETTLE_SECONDS: a file younger than this may still be being written
    prune_missing: bool  # ZHIBIAO_PRUNE_MISSING: drop rows of files no longer in the folder
    lock_timeout_seconds: float  # ZHIBIAO_LOCK_TIMEOUT: how long a run waits for another to finish
    dagster_home: Path  # DAGSTER_HOME: Dagster's run history and settings (telemetry off)
    parse_budget: Budget  # ZHIBIAO_PARSE_TIMEOUT, ZHIBIAO_MAX_MENTIONS: past these a file is rejected
    parse_workers: int  # ZHIBIAO_PARSE_WORKERS: processes that parse files at once
    worker_idle_seconds: float  # ZHIBIAO_WORKER_IDLE_SECONDS: how long `zhibiao run` keeps a warm worker; 0: none used

    @property
    def build_path(self) -> Path:
        # Same file name as the published one: DuckDB names the catalog after the file.
        return self.build_dir / self.warehouse_path.name

    @property
    def dbt_target_dir(self) -> Path:
        # dbt's state (partial parsing) belongs to one warehouse, so switching warehouses never mixes
        # them, even two warehouses in one folder (which share the build folder).
        return self.build_dir / "dbt" / self.warehouse_path.stem

    @property
    def gx_results_dir(self) -> Path:
        return self.warehouse_path.parent / "gx"


def absolute(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    warehouse = absolute(env.get("WAREHOUSE_PATH") or "warehouse/warehouse.duckdb")
    return Settings(
        reports_dir=absolute(env.get("REPORTS_DIR") or "warehouse/inbox"),
        warehouse_path=warehouse,
        build_dir=absolute(env.get("ZHIBIAO_BUILD_DIR") or str(warehouse.parent / ".build")),
        schedule_cron=env.get("ZHIBIAO_SCHEDULE_CRON") or "0 6 * * *",
        sensor_interval_seconds=int(env.get("ZHIBIAO_SENSOR_INTERVAL") or 5),
        settle_seconds=float(env.get("ZHIBIAO_SETTLE_SECONDS") or 2),
        prune_missing=flag(env.get("ZHIBIAO_PRUNE_MISSING") or "0"),
        lock_timeout_seconds=float(env.get("ZHIBIAO_LOCK_TIMEOUT") or 600),
        dagster_home=absolute(env.get("DAGSTER_HOME") or "warehouse/dagster_home"),
        parse_budget=Budget(
            seconds=float(env.get("ZHIBIAO_PARSE_TIMEOUT") or Budget.seconds),
            max_mentions=int(env.get("ZHIBIAO_MAX_MENTIONS") or Budget.max_mentions),
        ),
        parse_workers=int(env.get("ZHIBIAO_PARSE_WORKERS") or os.cpu_count() or 1),
        worker_idle_seconds=float(env.get("ZHIBIAO_WORKER_IDLE_SECONDS") or 600),
    )
