"""A real learning record store for the xAPI tests: Ralph's LRS on 127.0.0.1 with a file backend."""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.services import missing

USERNAME, PASSWORD = "academy", "lrs-test-secret"


@dataclass
class Lrs:
    endpoint: str
    username: str
    password: str

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the store holds (following `more` links)."""
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        found: list[dict[str, Any]] = []
        url = self.endpoint + "/statements?limit=100"
        while url:
            request = urllib.request.Request(  # noqa: S310 - the local test store
                url, headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                page = json.load(response)
            found += page["statements"]
            more = page.get("more")
            url = self.endpoint.rsplit("/xAPI", 1)[0] + more if more else ""
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def ralph(tmp_path: Path) -> Iterator[Lrs]:
    """Ralph's LRS (`ralph-malph[lrs]`, a dev dependency) serving a fresh file store."""
    if importlib.util.find_spec("ralph") is None or importlib.util.find_spec("uvicorn") is None:
        missing("Ralph (ralph-malph[lrs]) is not installed: make install-dev")
    import bcrypt

    store = tmp_path / "lrs"
    store.mkdir()
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    (store / "auth.json").write_text(
        json.dumps(
            [
                {
                    "username": USERNAME,
                    "hash": hashed,
                    "scopes": ["all"],
                    "agent": {"account": {"homePage": "https://academy.example.com", "name": "lrs-client"}},
                }
            ]
        )
    )
    port = _free_port()
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(store),
        "RALPH_AUTH_FILE": str(store / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(store),
    }
    log = (store / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter running Ralph
        [sys.executable, "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=store,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    lrs = Lrs(f"http://127.0.0.1:{port}/xAPI", USERNAME, PASSWORD)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                lrs.statements()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((store / "server.log").read_text()) from None
                time.sleep(0.3)
        yield lrs
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
