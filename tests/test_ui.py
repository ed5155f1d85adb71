"""`ittisal ui` starts Dagster's webserver on 127.0.0.1 with every asset of the project."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import REPO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_ui_serves_the_asset_graph_on_localhost(home):
    from pipelines.definitions import defs

    port = _free_port()
    env = {**os.environ, "ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    ui = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "ui", "--port", str(port)],
                          cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                data = _graphql(port, "{ assetNodes { assetKey { path } } }")
                if data.get("data", {}).get("assetNodes"):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the UI did not load the code location"
            time.sleep(1)
        served = {"/".join(n["assetKey"]["path"]) for n in data["data"]["assetNodes"]}
        expected = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
        assert served == expected
    finally:
        os.killpg(ui.pid, signal.SIGINT)
        try:
            ui.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(ui.pid, signal.SIGKILL)

