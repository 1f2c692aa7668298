"""Headless Chromium driven over the DevTools protocol, with the websockets client the lock
already holds: enough to open a page, wait for what it should show and take a screenshot."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

BROWSERS = ("chromium", "chromium-headless-shell", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, seconds: float) -> bytes:
    """The body of ``url`` once it answers 200, polling; fails after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.3)


class Browser:
    def __init__(self, executable: str, profile: Path, width: int = 1600, height: int = 1000):
        port = free_port()
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", f"--remote-debugging-port={port}",
             f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        version = json.loads(wait_for_http(f"http://127.0.0.1:{port}/json/version", 30))
        self.socket = connect(version["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
        self.calls = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.resize(width, height)

    def resize(self, width: int, height: int) -> None:
        """The page's viewport (long lists render only the rows that fit)."""
        self.call("Emulation.setDeviceMetricsOverride", page=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def call(self, method: str, page: bool = False, **params) -> dict:
        self.calls += 1
        message = {"id": self.calls, "method": method, "params": params}
        if page:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=60))
            if reply.get("id") == self.calls:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def open(self, url: str) -> None:
        self.call("Page.navigate", page=True, url=url)

    def text(self) -> str:
        result = self.call("Runtime.evaluate", page=True, returnByValue=True,
                           expression="document.body ? document.body.innerText : ''")
        return result["result"].get("value") or ""

    def wait_for_text(self, words: list[str], seconds: float = 60) -> str:
        """The page's text once every one of ``words`` shows in it."""
        deadline = time.monotonic() + seconds
        while True:
            text = self.text()
            missing = [word for word in words if word not in text]
            if not missing:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"not shown after {seconds:.0f} s: {missing}\n--- page text ---\n{text[:3000]}")
            time.sleep(0.5)

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", page=True, format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)
