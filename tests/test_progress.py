"""`ittisal run` shows its progress: each document stage names its parts as they are done
(plain lines when stderr is not a terminal, a redrawn bar when it is), and the run ends with a
summary of what the warehouse holds, what was refused, where it is and what to do next."""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
import sys
import threading

import dagster as dg
import pyarrow as pa

from assets.warehouse import SQL_MODELS, WAREHOUSE_TABLES
from ittisal.settings import Settings
from ittisal.store.incremental import PartJob, sync_table
from ittisal.store.progress import reporting
from ittisal.store.schemas import Column, Table
from pipelines.cli import execute_landing_job, main
from pipelines.progress import TerminalProgress
from tests.conftest import CORPUS, REPO, SEEDS, query_warehouse

NUMBERS = Table("numbers", "core", "", ("x",), (Column("x", pa.int64(), "a number"),))


def _land(home) -> dict[str, int]:
    """Three feeds, two pages and an empty file; returns landed path → records in it."""
    landing = home / "landing"
    lines = (CORPUS / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines(True)
    records = {}
    for i, size in enumerate((3, 5, 9)):
        path = f"feeds/feed-{i}.jsonl"
        (landing / "feeds").mkdir(exist_ok=True)
        (landing / path).write_text("".join(lines[10 * i:10 * i + size]), encoding="utf-8")
        records[path] = size
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, landing / seed.name)
        records[seed.name] = 1
    (landing / "empty.txt").write_bytes(b"")
    records["empty.txt"] = 0
    return records


def _stage_lines(err: str, table: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(f"[{table}] ")]


def test_a_run_over_several_files_prints_each_part_and_a_summary(home, capsys):
    records = _land(home)
    assert main(["run"]) == 0
    out, err = capsys.readouterr()
    raw = _stage_lines(err, "raw_documents")
    assert raw[0] == "[raw_documents] 6 parts to compute, 0 unchanged"
    assert raw[-1] == "[raw_documents] done: 6 parts, 19 records, 1 quarantined"
    parts = raw[1:-1]
    # one line a part, counted in order, naming the landed file and what it gave
    assert [line.split()[1] for line in parts] == [f"{i}/6" for i in range(1, 7)]
    told = {}
    for line in parts:
        m = re.fullmatch(r"\[raw_documents\] \d/6 (\S+): (\d+) records?, (\d) quarantined", line)
        assert m, line
        told[m[1]] = (int(m[2]), int(m[3]))
    assert told == {path: (n, 1 if n == 0 else 0) for path, n in records.items()}
    assert not any("\r" in line for line in err.splitlines())  # no bar off a terminal
    # the instance the CLI created has telemetry off: no notice or banner in the first run
    assert "Telemetry" not in err and "Welcome to Dagster" not in err
    # every later document stage reports too, its articles counted as the warehouse has them
    [articles] = query_warehouse(home, "select count(*) from cleaned_articles")[0]
    assert _stage_lines(err, "cleaned_articles")[-1] == (
        f"[cleaned_articles] done: 6 parts, {articles} articles, 0 quarantined")
    for table in ("parsed_articles", "article_fingerprints", "entity_mentions",
                  "event_mentions"):
        assert len(_stage_lines(err, table)) == 8, table

    # each SQL model and the warehouse publish say what they did, in one line each
    for name in ("article_dates", *(m.name for m in SQL_MODELS)):
        [[rows]] = query_warehouse(home, f'select count(*) from "{name}"')
        assert _stage_lines(err, name) == [
            f"[{name}] built: {rows:,} row" + ("" if rows == 1 else "s")], name
    each = " union all ".join(f'select count(*) from "{t}"' for t in WAREHOUSE_TABLES)
    [[total]] = query_warehouse(home, f"select sum(n)::bigint from ({each}) as c(n)")
    assert _stage_lines(err, "warehouse") == [
        f"[warehouse] publishing {len(WAREHOUSE_TABLES)} tables (no record of its build)",
        f"[warehouse] published: {len(WAREHOUSE_TABLES)} tables, {total:,} rows, "
        f"at {home / 'warehouse.duckdb'}"]

    summary = out[out.index("\ndone in "):].strip().splitlines()
    counts = dict(query_warehouse(home, """
        select 'records', count(*) from raw_documents union all
        select 'mentions', count(*) from event_mentions union all
        select 'events', count(*) from events union all
        select 'refused', count(*) from quarantine"""))
    assert re.fullmatch(
        rf"done in \d+\.\d s: 6 landed files \(6 computed, 0 unchanged\); the warehouse holds "
        rf"{counts['records']} records, {articles} articles, {counts['mentions']} event "
        rf"mentions, {counts['events']} events", summary[0]), summary[0]
    assert counts["refused"] == 1
    assert summary[1:] == [
        "  quarantined: 1 record; see why: ittisal run --show quarantine",
        f"  warehouse:   {home / 'warehouse.duckdb'} (open it read-only)",
        "  next:        ittisal run --show calls_by_country_by_day | ittisal ui | "
        "ittisal eval GOLD.jsonl"]

    # nothing new: each stage says so in one line
    assert main(["run"]) == 0
    out, err = capsys.readouterr()
    assert _stage_lines(err, "raw_documents") == [
        "[raw_documents] nothing to compute (6 parts unchanged)"]
    assert "6 landed files (0 computed, 6 unchanged)" in out
    for name in ("article_dates", *(m.name for m in SQL_MODELS), "warehouse"):
        assert _stage_lines(err, name) == [f"[{name}] skipped: inputs unchanged"], name

    # a landed file removed: its parts go, and each stage says so
    (home / "landing" / "empty.txt").unlink()
    assert main(["run"]) == 0
    err = capsys.readouterr().err
    assert _stage_lines(err, "raw_documents") == [
        "[raw_documents] nothing to compute (5 parts unchanged, 1 removed)"]
    assert _stage_lines(err, "event_mentions") == [
        "[event_mentions] nothing to compute (5 parts unchanged, 1 removed)"]


def _numbers(job: PartJob, refused: list[dict]):
    n = int(job.part[1:])
    if n % 7 == 0:
        refused.append({"source_id": job.part, "landing_path": None, "line_no": None,
                        "reason": "unlucky", "excerpt": None})
    yield from ({"x": i} for i in range(n))


def _sync(tmp_path, parts: int, workers: int, stream: io.StringIO, bar: bool) -> None:
    wanted = {f"p{i:03d}": "a" for i in range(1, parts + 1)}
    with reporting(TerminalProgress(stream, bar=bar)) as progress:
        sync_table(str(tmp_path / "lake"), str(tmp_path / "q"), NUMBERS, wanted, _numbers,
                   workers, progress, {"p001": "first.jsonl"})


def test_parts_computed_by_workers_are_told_in_order(tmp_path):
    stream = io.StringIO()
    _sync(tmp_path, 5, 2, stream, bar=False)
    assert stream.getvalue().splitlines() == [
        "[numbers] 5 parts to compute, 0 unchanged",
        "[numbers] 1/5 first.jsonl: 1 row, 0 quarantined",
        "[numbers] 2/5 p002: 2 rows, 0 quarantined",
        "[numbers] 3/5 p003: 3 rows, 0 quarantined",
        "[numbers] 4/5 p004: 4 rows, 0 quarantined",
        "[numbers] 5/5 p005: 5 rows, 0 quarantined",
        "[numbers] done: 5 parts, 15 rows, 0 quarantined"]


def test_a_stage_of_many_parts_prints_a_few_lines_and_a_long_part_its_rows(tmp_path):
    stream = io.StringIO()
    _sync(tmp_path, 120, 1, stream, bar=False)
    lines = stream.getvalue().splitlines()
    told = [line.split()[1] for line in lines[1:-1] if "so far" not in line]
    assert told == [f"{i}/120" for i in range(6, 121, 6)]  # every 6th: 20 lines
    # part 120 makes 120 rows: no "so far" line below 10,000 rows
    assert not any("so far" in line for line in lines)
    assert lines[-1] == "[numbers] done: 120 parts, 7,260 rows, 17 quarantined"

    stream = io.StringIO()
    wanted_big = {"p12345": "a"}
    with reporting(TerminalProgress(stream, bar=False)) as progress:
        sync_table(str(tmp_path / "lake2"), str(tmp_path / "q2"), NUMBERS, wanted_big,
                   _numbers, 1, progress)
    assert stream.getvalue().splitlines()[1] == "[numbers] 1/1 p12345: 10,000 rows so far"


def test_on_a_terminal_the_stage_is_one_bar_redrawn_then_one_line(tmp_path):
    stream = io.StringIO()
    _sync(tmp_path, 4, 1, stream, bar=True)
    text = stream.getvalue()
    assert "\r\x1b[K[numbers] [########################] 4/4 parts, 10 rows, 0 quarantined" in text
    assert text.endswith("\r\x1b[K[numbers] done: 4 parts, 10 rows, 0 quarantined\n")
    assert text.count("\n") == 1  # the bar never scrolls the terminal


def test_a_run_on_a_terminal_draws_bars(home):
    """The same run with stderr on a pseudo-terminal: each stage is a bar redrawn in place and
    ends as one line; stdout (a pipe) still gets the summary."""
    _land(home)
    leader, follower = pty.openpty()
    env = {**os.environ, "ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    run = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run"], cwd=REPO, env=env,
                           stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    screen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the run ended and closed the terminal
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = run.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(leader)
    assert run.returncode == 0
    text = screen.decode()
    assert "\r\x1b[K[raw_documents] [####" in text
    assert "\r\x1b[K[raw_documents] done: 6 parts, 19 records, 1 quarantined\r\n" in text
    assert "[raw_documents] 1/6" not in text  # no plain part lines on a terminal
    assert "6 landed files (6 computed, 0 unchanged)" in out


def test_a_run_the_ui_or_daemon_starts_tells_its_step_logs(home):
    """Without the CLI's reporter (as in a run the daemon launches), the same plain lines go
    to Dagster's log of each step, which the UI's run view shows."""
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, home / "landing" / seed.name)
    result = execute_landing_job(Settings.from_env(), "ERROR")
    assert result.success
    with dg.DagsterInstance.get() as instance:
        logged = [e.user_message for e in instance.all_logs(result.run_id)
                  if e.user_message.startswith("[raw_documents] ")]
    first, second = (seed.name for seed in sorted(SEEDS.glob("*.txt"))[:2])
    assert logged == ["[raw_documents] 2 parts to compute, 0 unchanged",
                      f"[raw_documents] 1/2 {first}: 1 record, 0 quarantined",
                      f"[raw_documents] 2/2 {second}: 1 record, 0 quarantined",
                      "[raw_documents] done: 2 parts, 2 records, 0 quarantined"]
