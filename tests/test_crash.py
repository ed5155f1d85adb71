"""Faults injected into real `ittisal run` processes: SIGKILL at several points of a run, two
runs at once, a sensor-style run beside a manual one, and the same feed landed twice. Each
ends with the tables of one clean run, and no reader ever finds a partial file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import CORPUS, REPO, SEEDS

pytestmark = pytest.mark.slow


def _land(home: Path) -> int:
    """The seeds and the dev feed cut into three feeds (more parts, more places to crash);
    returns the number of landed files."""
    landing = home / "landing"
    shutil.copytree(SEEDS, landing / "seeds", ignore=shutil.ignore_patterns("*.jsonl"))
    lines = (CORPUS / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines(True)
    for i in range(3):
        (landing / f"feed-{i}.jsonl").write_text("".join(lines[i::3]), encoding="utf-8")
    return 5 + 3


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}


def _start(home: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", *args], cwd=REPO,
                            env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=300)
    return proc.returncode, out


def _tables(home: Path) -> dict[str, list[tuple]]:
    """Every table of the warehouse, rows sorted: what an analyst would see (but the time a
    record was read, which no two runs share)."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for table, column, kind in con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "order by table_name, ordinal_position").fetchall():
            if not kind.startswith("TIMESTAMP"):
                columns.setdefault(table, []).append(f'"{column}"')
        return {t: con.execute(f'select {", ".join(c)} from "{t}" order by all').fetchall()
                for t, c in columns.items()}
    finally:
        con.close()


def _assert_no_partial_file(home: Path) -> None:
    """Every part a reader can list opens as complete Parquet; the warehouse, if present,
    opens and holds its tables."""
    for part in (home / "lake").rglob("*.parquet"):
        pq.read_metadata(part)  # raises on a truncated file
    for part in (home / "quarantine").rglob("*.parquet"):
        pq.read_metadata(part)
    if (home / "warehouse.duckdb").exists():
        con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
        try:
            assert con.execute("select count(*) from events").fetchone()[0] > 0
        finally:
            con.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, list[tuple]]:
    """The tables of one uninterrupted run."""
    home = tmp_path_factory.mktemp("reference")
    (home / "landing").mkdir()
    _land(home)
    code, out = _finish(_start(home))
    assert code == 0, out
    return _tables(home)


def _exists(relative: str) -> Callable[[Path], bool]:
    return lambda home: any(home.glob(relative))


# points of a run, each seen from outside as the first file of a stage appearing
KILL_POINTS = {
    "landing raw documents": _exists("lake/raw_documents/*"),
    "cleaning articles": _exists("lake/cleaned_articles/*"),
    "tagging entities": _exists("lake/entity_mentions/*"),
    "building the SQL models": _exists("lake/events/*"),
    "publishing the warehouse": _exists(".warehouse.duckdb.*.building"),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_run_killed_at_any_point_is_finished_by_the_next_run(tmp_path, reference, point):
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    _land(home)
    reached = KILL_POINTS[point]
    proc = _start(home)
    deadline = time.monotonic() + 120
    while not reached(home) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.fail(f"the run ended before {point!r} was seen: {_finish(proc)[1][-2000:]}")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    _assert_no_partial_file(home)
    code, out = _finish(_start(home))
    assert code == 0, out  # the kernel released the killed run's locks
    assert _tables(home) == reference
    leftovers = [p for p in home.rglob("*") if ".tmp-" in p.name or p.name.endswith(".building")]
    assert leftovers == []


def _computed(out: str, asset: str) -> int:
    line = next(line for line in out.splitlines() if line.startswith(asset))
    return int(line.split("computed=")[1].split()[0])


def test_two_runs_started_at_once_end_with_the_tables_of_one(tmp_path, reference):
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    _land(home)
    first, second = _start(home), _start(home)
    results = [_finish(first), _finish(second)]
    codes = sorted(code for code, _ in results)
    # the second either waited for the lock or exited with the documented busy code
    assert codes in ([0, 0], [0, 75]), results
    busy = [out for code, out in results if code == 75]
    assert all("another ittisal run" in out for out in busy)
    assert _tables(home) == reference


# a run of the code location over every partition, as the sensor or the schedule launch it
# (one materialization per partition, all with the step's counts: printed once)
SENSOR_STYLE_RUN = """
import dagster as dg
from assets.partitions import every_partition
from ittisal.settings import Settings
from pipelines.definitions import defs
instance = dg.DagsterInstance.get()
result = defs.resolve_job_def("process_landing").execute_in_process(
    instance=instance, raise_on_error=True,
    tags=every_partition(instance, Settings.from_env().landing))
said = set()
for event in result.get_asset_materialization_events():
    meta, key = event.materialization.metadata, event.materialization.asset_key.to_user_string()
    if "parts_computed" in meta and key not in said:
        said.add(key)
        print(key, f"computed={meta['parts_computed'].value}")
"""


def test_a_sensor_run_beside_a_manual_run_never_processes_a_file_twice(tmp_path, reference):
    """The sensor's runs skip the CLI's run lock: the per-table locks alone must keep the two
    from computing the same part."""
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    files = _land(home)
    # the daemon that runs sensors works on an instance that exists already
    (home / "dagster").mkdir(exist_ok=True)
    (home / "dagster" / "dagster.yaml").touch()
    subprocess.run([sys.executable, "-c", "import dagster; dagster.DagsterInstance.get()"],
                   cwd=REPO, env=_env(home), check=True, capture_output=True)
    sensor = subprocess.Popen([sys.executable, "-c", SENSOR_STYLE_RUN], cwd=REPO,
                              env=_env(home), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    manual = _start(home)
    (code_s, out_s), (code_m, out_m) = _finish(sensor), _finish(manual)
    assert code_s == 0 and code_m == 0, (out_s[-2000:], out_m[-2000:])
    for stage in ("raw_documents", "cleaned_articles", "event_mentions"):
        assert _computed(out_s, stage) + _computed(out_m, stage) == files, stage
    # the manual run published last or skipped; either way one more run is the reference
    code, out = _finish(_start(home))
    assert code == 0, out[-3000:]
    assert _tables(home) == reference


def test_the_same_feed_and_page_landed_twice_count_each_event_once(tmp_path):
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    feed = CORPUS / "dev" / "articles.jsonl"
    shutil.copy(feed, home / "landing" / "feed.jsonl")
    shutil.copy(SEEDS / "001_42ccee761c1e329b.txt", home / "landing" / "page.txt")
    assert _finish(_start(home))[0] == 0
    once = _tables(home)
    shutil.copy(feed, home / "landing" / "feed-again.jsonl")
    shutil.copy(SEEDS / "001_42ccee761c1e329b.txt", home / "landing" / "same page.txt")
    code, out = _finish(_start(home))
    assert code == 0, out
    twice = _tables(home)
    assert len(twice["raw_documents"]) == 2 * len(once["raw_documents"])
    # every call on every day is counted as before, and so is every dated event
    assert [r[:3] for r in twice["calls_by_country_by_day"]] == \
        [r[:3] for r in once["calls_by_country_by_day"]]
    dated = [r for r in once["events"] if r[2] is not None]
    assert len([r for r in twice["events"] if r[2] is not None]) == len(dated)
