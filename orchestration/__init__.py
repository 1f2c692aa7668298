"""zhibiao's Dagster code location: assets, checks, sensor and schedule wired around ``sources``."""
