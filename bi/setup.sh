#!/usr/bin/env bash
# Prepare a local Superset for a zhibiao warehouse: metadata database, admin user, the shipped
# dashboard bundle, and the warehouse registered read-only. `make superset` runs this, then serves.
#   bi/setup.sh /abs/path/warehouse.duckdb
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
warehouse="$1"
bin="${SUPERSET_BIN:-$here/../.venv-superset/bin}"
home="${ZHIBIAO_SUPERSET_HOME:?}"
if [ ! -f "$warehouse" ]; then
    echo "superset: no warehouse at $warehouse yet: build it first (make run)" >&2
    exit 2
fi
mkdir -p "$home"
log="$home/setup.log"
: > "$log"
# Schema upgrade and roles once per Superset version; the admin user once (admin/admin, local only).
stamp="$home/.ready-$("$bin/python" -c 'import importlib.metadata as m; print(m.version("apache-superset"))')"
if [ ! -f "$stamp" ]; then
    echo "superset: creating its metadata database in $home (about a minute, once)"
    "$bin/superset" db upgrade >>"$log" 2>&1
    "$bin/superset" fab create-admin --username admin --firstname zhibiao --lastname admin \
        --email admin@localhost --password admin >>"$log" 2>&1
    "$bin/superset" init >>"$log" 2>&1
    touch "$stamp"
fi
"$bin/python" "$here/pack_bundle.py" "$warehouse" "$home/bundle.zip"
"$bin/superset" import-dashboards -p "$home/bundle.zip" -u admin >>"$log" 2>&1
# import-dashboards drops the URI's read-only flag (STACK-NOTES): register it read-only again.
"$bin/superset" set-database-uri -d zhibiao -u "duckdb:///$warehouse?access_mode=read_only" >>"$log" 2>&1
echo "superset: dashboard 'zhibiao' imported; $warehouse registered read-only (log: $log)"
