"""Superset's settings for `make superset`: a local server on 127.0.0.1 whose metadata lives in
ZHIBIAO_SUPERSET_HOME (default warehouse/superset), with nothing sent anywhere."""

import os
from pathlib import Path

HOME = Path(os.environ.get("ZHIBIAO_SUPERSET_HOME") or Path(__file__).resolve().parents[1] / "warehouse" / "superset")
# Signs the session cookies of this local server only; set SUPERSET_SECRET_KEY for anything shared.
SECRET_KEY = os.environ.get("SUPERSET_SECRET_KEY") or "zhibiao-local-superset"
SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}"
DATA_DIR = str(HOME)
# No analytics pixel, no version check.
SCARF_ANALYTICS = False
# Superset reads the warehouse only (the connection is read-only); no uploads, no DML.
CSV_EXTENSIONS: set[str] = set()
