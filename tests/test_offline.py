"""A whole run, dbt and GX included, opens no network connection (telemetry and version checks off)."""

import re
import shutil
import subprocess

import pytest

from bench.faults import BIN, new_workspace


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_a_run_connects_to_no_network_address(tmp_path):
    ws = new_workspace(tmp_path, "offline")
    trace = tmp_path / "connect.trace"
    out = subprocess.run(
        ["strace", "-f", "-e", "trace=connect", "-o", str(trace), "--", str(BIN / "zhibiao")],
        env=ws.env(), capture_output=True, text=True, timeout=900,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "succeeded" in out.stdout
    network = [line for line in trace.read_text().splitlines() if re.search(r"AF_INET6?\b", line)]
    assert network == []
