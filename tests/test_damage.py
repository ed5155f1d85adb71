"""Damage done to a home between runs (a broken or replaced warehouse file, a read-write
analyst's leftovers, damaged lake and quarantine parts, a part changed behind the cached check
results): the next run finds it and ends with the tables of a clean run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from tests.conftest import SEEDS, built_home, use_home

PAGE = "004_edd459b6dd962f52.txt"
OTHER_PAGE = "002_8ed349425e4bec21.txt"


def _tables(root: Path) -> dict[str, list[tuple]]:
    """Every warehouse table's rows, sorted, as an analyst opening it read-only sees them
    (but the time a record was read, which no two runs share)."""
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for table, column, kind in con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "order by table_name, ordinal_position").fetchall():
            columns.setdefault(table, [])
            if not kind.startswith("TIMESTAMP"):
                columns[table].append(f'"{column}"')
        return {t: sorted(map(repr, con.execute(f'select {", ".join(c)} from "{t}"').fetchall()))
                for t, c in columns.items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """A page and a bad file landed and run once: the home every test damages a copy of."""
    return built_home(tmp_path_factory.mktemp("clean") / "home",
                  ("a.txt", (SEEDS / PAGE).read_bytes()), ("bad.txt", b""))


@pytest.fixture
def copy(clean, tmp_path, monkeypatch) -> Path:
    """A copy of the clean home (times kept), used by this test's runs."""
    root = tmp_path / "home"
    shutil.copytree(clean, root)
    return use_home(monkeypatch, root)


def _run(capsys) -> str:
    capsys.readouterr()
    assert main(["run"]) == 0
    return capsys.readouterr().out


def _warehouse_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("warehouse"))


def test_an_untouched_warehouse_is_not_rebuilt(clean, copy, capsys):
    assert "not rebuilt" in _warehouse_line(_run(capsys))
    assert _tables(copy) == _tables(clean)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_broken_warehouse_file_is_rebuilt(clean, copy, capsys, damage):
    path = copy / "warehouse.duckdb"
    if damage == "garbage":
        path.write_bytes(os.urandom(path.stat().st_size))
    else:
        os.truncate(path, path.stat().st_size // 2)
    assert "not rebuilt" not in _warehouse_line(_run(capsys))
    assert _tables(copy) == _tables(clean)


def test_a_table_dropped_by_a_read_write_session_is_restored(clean, copy, capsys):
    con = duckdb.connect(str(copy / "warehouse.duckdb"))
    con.execute("drop table events")
    con.close()
    _run(capsys)
    assert _tables(copy) == _tables(clean)


def test_a_warehouse_copied_from_another_home_is_replaced(clean, copy, tmp_path, capsys):
    other = built_home(tmp_path / "other", ("a.txt", (SEEDS / OTHER_PAGE).read_bytes()))
    shutil.copy(other / "warehouse.duckdb", copy / "warehouse.duckdb")
    _run(capsys)
    assert _tables(copy) == _tables(clean)


KILLED_ANALYST = """
import sys, duckdb, time
con = duckdb.connect(sys.argv[1])
con.execute("drop table events")
print("dropped", flush=True)
time.sleep(60)
"""


def test_a_killed_read_write_analyst_leaves_no_wal_that_breaks_readers(clean, copy, capsys):
    path = copy / "warehouse.duckdb"
    analyst = subprocess.Popen([sys.executable, "-c", KILLED_ANALYST, str(path)],
                               stdout=subprocess.PIPE, text=True)
    assert analyst.stdout.readline().strip() == "dropped"
    os.kill(analyst.pid, signal.SIGKILL)
    analyst.wait()
    assert path.with_name(path.name + ".wal").exists()
    _run(capsys)
    assert _tables(copy) == _tables(clean)
    assert "not rebuilt" in _warehouse_line(_run(capsys))  # and it is trusted again


def test_full_refresh_always_rebuilds_the_warehouse(clean, copy, capsys):
    path = copy / "warehouse.duckdb"
    path.write_bytes(b"not a database")
    capsys.readouterr()
    assert main(["run", "--full-refresh"]) == 0
    assert "not rebuilt" not in _warehouse_line(capsys.readouterr().out)
    assert _tables(copy) == _tables(clean)


def _parts(root: Path, store: str, table: str) -> list[Path]:
    return sorted((root / store / table).glob("*.parquet"))


def _check_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("check ")]


@pytest.mark.parametrize("table", ["raw_documents", "entity_mentions", "events"])
def test_a_truncated_lake_part_is_rebuilt_from_its_source(clean, copy, capsys, table):
    part = max(_parts(copy, "lake", table), key=lambda p: p.stat().st_size)
    os.truncate(part, part.stat().st_size // 2)
    out = _run(capsys)
    assert all("passed" in line or "WARNING" in line for line in _check_lines(out))
    assert _tables(copy) == _tables(clean)


def test_a_deleted_quarantine_part_is_rebuilt(clean, copy, capsys):
    [part] = _parts(copy, "quarantine", "raw_documents")
    part.unlink()
    out = _run(capsys)
    accounted = next(line for line in _check_lines(out) if "accounted_for" in line)
    assert "passed" in accounted
    assert _parts(copy, "quarantine", "raw_documents") == [part]
    assert _tables(copy) == _tables(clean)


def test_a_part_changed_behind_the_cached_check_results_is_checked_again(clean, copy, capsys):
    """The evidence of a mention no longer matches its text, in a part that keeps its footer
    (the fingerprint the stages compare): the evidence check must look again and fail."""
    import pyarrow.parquet as pq

    part = max(_parts(copy, "lake", "event_mentions"), key=lambda p: p.stat().st_size)
    footer = {k: v for k, v in (pq.read_metadata(part).metadata or {}).items()
              if k != b"ARROW:schema"}
    table = pq.read_table(part).replace_schema_metadata(footer)  # the footer kept as it was
    evidence = table["evidence"].to_pylist()
    evidence[0] = "X" + evidence[0][1:]
    pq.write_table(table.set_column(table.schema.get_field_index("evidence"), "evidence",
                                    [evidence]), part)
    capsys.readouterr()
    assert main(["run"]) == 1
    evidence_check = next(line for line in _check_lines(capsys.readouterr().out)
                          if "evidence_and_dates" in line)
    assert "FAILED" in evidence_check and "reused" not in evidence_check
