"""The production profile, run as a deployment runs it: Dagster's instance in PostgreSQL
(deploy/dagster.yaml), the lake and quarantine in S3-compatible object storage, one run
queued and launched by the daemon. After a first run, a run with nothing new, a new file and
a removed file, and again after a full refresh, the warehouse holds what a local run of the
same landing holds; a run with nothing new asks the object store for each table's manifest,
never for a part.

Needs Debian's `postgresql` and `moto[server]` (the deploy-test extra): skipped without
them, except where ITTISAL_REQUIRE_POSTGRES is set (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from ittisal.store.schemas import DOCUMENT_TABLES
from tests.conftest import REPO, SEEDS, warehouse_tables
from tests.servers import Unavailable, postgres, s3_server

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
BUCKET = "ittisal-test"


def _unavailable(reason: str) -> None:
    if os.environ.get("ITTISAL_REQUIRE_POSTGRES"):
        pytest.fail(f"the production profile test cannot run: {reason}")
    pytest.skip(f"production profile not testable here: {reason}")


@pytest.fixture(scope="module")
def servers():
    # directly under the system's temporary folder: pytest's own is private to its user,
    # and the server runs as `postgres` when the tests run as root
    root = Path(tempfile.mkdtemp(prefix="ittisal-pg-"))
    root.chmod(0o755)
    try:
        with postgres(root / "pg") as pg_port, s3_server() as (endpoint, log):
            yield pg_port, endpoint, log
    except Unavailable as exc:
        _unavailable(str(exc))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _env(tmp: Path, pg_port: int, endpoint: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("ITTISAL_", "DAGSTER_", "AWS_"))}
    return {**keep,
            "ITTISAL_ENV": "production", "ITTISAL_HOME": str(tmp / "prod"),
            "ITTISAL_LANDING": str(tmp / "landing"),
            "ITTISAL_LAKE": f"s3://{BUCKET}/lake", "ITTISAL_QUARANTINE": f"s3://{BUCKET}/quarantine",
            "ITTISAL_WAREHOUSE": str(tmp / "prod" / "warehouse.duckdb"),
            "DAGSTER_HOME": str(tmp / "dagster"),
            "DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(pg_port),
            "DAGSTER_PG_USER": "dagster", "DAGSTER_PG_PASSWORD": "unused",
            "DAGSTER_PG_DB": "dagster",
            "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true"}


def _local_env(tmp: Path, env: dict[str, str]) -> dict[str, str]:
    """The same landing run in a local home, Dagster's default instance and all."""
    keep = {k: v for k, v in env.items() if not k.startswith(("ITTISAL_", "DAGSTER_"))}
    return {**keep, "ITTISAL_HOME": str(tmp / "local"), "ITTISAL_LANDING": str(tmp / "landing"),
            "DAGSTER_HOME": str(tmp / "local" / "dagster")}


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "ittisal"), "run", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def _same_tables(tmp: Path) -> None:
    prod, local = (warehouse_tables(tmp / "prod" / "warehouse.duckdb"),
                   warehouse_tables(tmp / "local" / "warehouse.duckdb"))
    assert sorted(prod) == sorted(local)
    for name in local:
        assert prod[name] == local[name], name
    assert local["event_mentions"], "the comparison must compare something"


def _computed(stdout: str) -> str:
    [line] = [x for x in stdout.splitlines() if x.startswith("raw_documents ")]
    return line.split(" computed=")[1]


def _daemon_run(env: dict[str, str], instance) -> str:
    """Queue `process_landing` over every partition (in one process: a small run costs its
    work, not a process per step) and let a Dagster daemon dequeue and launch it; returns
    the run's status."""
    from assets.partitions import every_partition

    tags = every_partition(instance, Path(env["ITTISAL_LANDING"]))
    daemon = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
                              env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        run_id = str(uuid.uuid4())
        launch = subprocess.run(
            [str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml", "-j",
             "process_landing", "--run-id", run_id, "--tags", json.dumps(tags),
             "--config-json", '{"execution": {"config": {"in_process": {}}}}'],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert launch.returncode == 0, launch.stderr[-3000:]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            run = instance.get_run_by_id(run_id)
            if run is not None and run.is_finished:
                return run.status.value
            time.sleep(0.5)
        return "still running after 120 s"
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=60)


def _part_reads(requests: list[tuple[str, str]]) -> list[str]:
    """Requests that touched one part of a document table (its footer or its bytes)."""
    prefixes = tuple(f"/{BUCKET}/{store}/{t.name}/" for store in ("lake", "quarantine")
                     for t in DOCUMENT_TABLES)
    return [path for method, path in requests
            if method in ("GET", "HEAD") and path.startswith(prefixes)
            and path.endswith(".parquet")]


def test_production_profile_matches_a_local_run(servers, tmp_path, monkeypatch):
    pg_port, endpoint, log = servers
    env = _env(tmp_path, pg_port, endpoint)
    (tmp_path / "dagster").mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", tmp_path / "dagster" / "dagster.yaml")
    landing = tmp_path / "landing"
    landing.mkdir()
    pages = sorted(SEEDS.glob("*.txt"))
    for page in pages[:3]:
        shutil.copy(page, landing / page.name)
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test"
                 ).create_bucket(Bucket=BUCKET)

    # first run: everything computed, into the bucket, with runs recorded in Postgres (its
    # tables are compared after the full refresh, another run from nothing)
    assert _computed(_run(env)).startswith("3 unchanged=0")
    assert not (tmp_path / "prod" / "lake").exists()  # the lake is in the bucket only

    # nothing new, queued and launched by the daemon: one manifest per table, no part read
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    import dagster as dg

    instance = dg.DagsterInstance.get()
    assert type(instance.run_storage).__name__ == "PostgresRunStorage"
    mark = log.mark()
    assert _daemon_run(env, instance) == "SUCCESS"
    noop = log.since(mark)
    assert noop and _part_reads(noop) == [], _part_reads(noop)[:5]
    manifests = [p for m, p in noop if m == "GET" and p.endswith("/_manifest.json")]
    assert {p.split("/")[3] for p in manifests} >= {t.name for t in DOCUMENT_TABLES}
    print(f"\nno-op run through the daemon: {len(noop)} object-store requests, "
          f"{len(manifests)} manifest reads, 0 part reads", file=sys.stderr)

    # one new file: only it is computed
    shutil.copy(pages[3], landing / pages[3].name)
    assert _computed(_run(env)).startswith("1 unchanged=3")
    # a removed file: its parts go; then a full refresh starts the bucket from nothing
    (landing / pages[0].name).unlink()
    assert _computed(_run(env)).startswith("0 unchanged=3")
    _run(_local_env(tmp_path, env))  # the local home's first run, on the landing as it is now
    _same_tables(tmp_path)
    assert _computed(_run(env, "--full-refresh")).startswith("3 unchanged=0")
    _same_tables(tmp_path)
    runs = instance.get_runs_count()
    assert runs >= 5, runs  # every production run is in Postgres
