"""Every chart of the zhibiao dashboard, with its data, through Superset's REST API (stdlib only,
so both zhibiao's tests and Superset's environment can run it):

    python bi/chart_data.py http://127.0.0.1:8088 admin admin
"""

from __future__ import annotations

import json
import sys
import urllib.request


class Superset:
    def __init__(self, base: str, username: str, password: str):
        self.base = base.rstrip("/")
        self.token = self.call("POST", "/api/v1/security/login", {"username": username, "password": password,
                                                                 "provider": "db", "refresh": False})["access_token"]

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if getattr(self, "token", None):
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, method=method, headers=headers,
                                         data=json.dumps(body).encode() if body is not None else None)
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def dashboard_charts(self, slug: str = "zhibiao") -> list[dict]:
        return self.call("GET", f"/api/v1/dashboard/{slug}/charts")["result"]

    def chart_rows(self, chart_id: int) -> list[dict]:
        """The chart's data as its saved form data asks for it."""
        chart = self.call("GET", f"/api/v1/chart/{chart_id}")["result"]
        params = json.loads(chart["params"])
        body = {"datasource": {"id": chart["datasource_id"], "type": chart["datasource_type"]},
                "queries": [query_of(params)], "form_data": params, "result_format": "json", "result_type": "full"}
        return self.call("POST", "/api/v1/chart/data", body)["result"][0]["data"]


def query_of(params: dict) -> dict:
    columns = list(params.get("all_columns") or params.get("groupby") or [])
    if params.get("x_axis"):
        columns.insert(0, params["x_axis"])
    metrics = params.get("metrics") or ([params["metric"]] if params.get("metric") else [])
    return {"columns": columns, "metrics": metrics, "filters": [], "row_limit": params.get("row_limit", 1000)}


def main(base: str, username: str, password: str) -> int:
    superset = Superset(base, username, password)
    empty = 0
    for chart in superset.dashboard_charts():
        rows = superset.chart_rows(chart["id"])
        empty += not rows
        print(f"{chart['slice_name']}: {len(rows)} rows")
    return 1 if empty else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
