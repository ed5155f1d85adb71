"""How many `landed_files` partitions the UI handles (README "Running at scale").

For each N: a fresh SQLite instance with N dynamic partition keys, the code location served by
`dagster-webserver`, and the time of its GraphQL answer for `raw_documents`' partition keys
and statuses (what the asset's Partitions tab asks), first and second call.

    .venv/bin/python scripts/measure_ui_partitions.py 10000 50000 200000
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUERY = """query { assetNodeOrError(assetKey: {path: ["raw_documents"]}) { ... on AssetNode {
  partitionKeysByDimension { name partitionKeys }
  assetPartitionStatuses { ... on DefaultPartitionStatuses {
    materializedPartitions failedPartitions } } } } }"""


def _post(port: int) -> tuple[float, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": QUERY}).encode(),
        headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = json.loads(response.read())
    return time.perf_counter() - started, body


def _wait_for(port: int) -> None:
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the webserver did not start")


def measure(n: int, port: int) -> dict:
    home = Path(tempfile.mkdtemp(prefix="ittisal-ui-partitions-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITTISAL_")}
    env |= {"ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    (home / "dagster").mkdir(parents=True)
    (home / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    try:
        subprocess.run([sys.executable, "-c",
                        "import dagster as dg; dg.DagsterInstance.get().add_dynamic_partitions("
                        f"'landed_files', [f'{{k:020x}}' for k in range({n})])"],
                       env=env, cwd=REPO, check=True)
        web = subprocess.Popen([str(BIN / "dagster-webserver"), "-m", "pipelines.definitions",
                                "-p", str(port), "-h", "127.0.0.1"], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(port)
            first, _ = _post(port)
            again, body = _post(port)
        finally:
            web.terminate()
            web.wait(timeout=30)
        [dimension] = body["data"]["assetNodeOrError"]["partitionKeysByDimension"]
        return {"partitions": n, "first_s": round(first, 2), "again_s": round(again, 2),
                "keys_returned": len(dimension["partitionKeys"]),
                "response_kb": round(len(json.dumps(body)) / 1024)}
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    for i, size in enumerate(int(a) for a in sys.argv[1:]):
        print(json.dumps(measure(size, 39100 + i)), flush=True)
