"""The warehouse as the analysts' own tools meet it: the newest DuckDB command-line tool from
PyPI (a 1.x client) opens it and shows the data dictionary, a table made inside it is gone
after the next run, a warehouse in another storage version is
published again, and an analyst's own file that attaches it read-only keeps its tables
across publishes and sees each new one once it attaches again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ittisal.store import warehouse as warehouse_module
from ittisal.store.sqlmodels import SQL_DIR, load_models, sql_literal
from ittisal.store.warehouse import STORAGE_VERSION, warehouse_docs
from pipelines.cli import main
from tests.conftest import SEEDS, built_home, use_home

# the `duckdb` that the test extra's duckdb-cli puts beside this Python
CLI = Path(sys.executable).parent / "duckdb"
PAGE = "004_edd459b6dd962f52.txt"
OTHER_PAGE = "002_8ed349425e4bec21.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A home with one sample page landed and run once."""
    return built_home(tmp_path_factory.mktemp("built") / "home",
                      ("a.txt", (SEEDS / PAGE).read_bytes()))


@pytest.fixture
def copy(built, tmp_path, monkeypatch) -> Path:
    """A copy of the built home (times kept) that this test's runs use."""
    root = tmp_path / "home"
    shutil.copytree(built, root)
    return use_home(monkeypatch, root)


def _cli(*args: str) -> str:
    """What the DuckDB command-line tool prints; fails the test with its error."""
    done = subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout


def _cli_rows(database: Path, sql: str) -> list[dict]:
    out = _cli("-readonly", "-json", str(database), "-c", sql).strip()
    return json.loads(out) if out else []


def test_the_newest_duckdb_cli_opens_the_warehouse_and_shows_every_comment(built):
    warehouse = built / "warehouse.duckdb"
    [version] = _cli_rows(warehouse, "select version() as v")
    assert version["v"].startswith("v1."), "the CLI under test must be a DuckDB 1.x client"
    [stored] = _cli_rows(warehouse, "select tags['storage_version'] as v from duckdb_databases() "
                                    "where database_name = current_database()")
    assert stored["v"] == f"{STORAGE_VERSION}+"

    docs = warehouse_docs(load_models(SQL_DIR))
    tables = _cli_rows(warehouse, "select table_name, comment from duckdb_tables() "
                                  "where database_name = current_database()")
    assert {t["table_name"]: t["comment"] for t in tables} == {
        name: doc.description for name, doc in docs.items()}
    columns = _cli_rows(warehouse, "select table_name, column_name, comment from duckdb_columns() "
                                   "where database_name = current_database()")
    assert len(columns) > 100
    for column in columns:
        expected = docs[column["table_name"]].columns[column["column_name"]]
        assert column["comment"] == expected, column
    [event_id] = [c["comment"] for c in columns
                  if (c["table_name"], c["column_name"]) == ("events", "event_id")]
    assert event_id == next(m for m in load_models(SQL_DIR) if m.name == "events"
                            ).column_docs["event_id"]


def test_a_warehouse_published_in_another_storage_version_is_published_again(copy,
                                                                             monkeypatch):
    """A home whose warehouse an earlier version wrote in DuckDB 2.0's own format (as every
    home did before) gets one the CLI reads at the next run, with nothing new landed."""
    with monkeypatch.context() as mp:
        mp.setattr(warehouse_module, "STORAGE_VERSION", "latest")
        assert main(["run"]) == 0
    refused = subprocess.run([str(CLI), "-readonly", str(copy / "warehouse.duckdb"), "-c",
                              "select 1"], capture_output=True, text=True, timeout=60)
    assert "version number" in refused.stderr
    assert main(["run"]) == 0
    [rows] = _cli_rows(copy / "warehouse.duckdb", "select count(*) as n from raw_documents")
    assert rows["n"] == 1


def test_a_table_made_inside_the_warehouse_is_gone_after_the_next_run(copy):
    con = duckdb.connect(str(copy / "warehouse.duckdb"))
    con.execute("create table my_notes as select 1 as note")
    con.close()
    assert main(["run"]) == 0
    [rows] = _cli_rows(copy / "warehouse.duckdb",
                       "select count(*) as n from duckdb_tables() where table_name = 'my_notes'")
    assert rows["n"] == 0


def _ask(session: subprocess.Popen, sql: str) -> str:
    """One statement in a running CLI session, and the one line it prints."""
    session.stdin.write(sql + "\n")
    session.stdin.flush()
    return session.stdout.readline().strip()


def test_an_analyst_file_attaching_the_warehouse_read_only_outlives_each_publish(copy,
                                                                               tmp_path):
    """The analyst's own file holds a table and a view over the warehouse. A session that has
    the warehouse attached while a run publishes neither blocks the run nor sees it: it keeps
    the old file until it attaches again, then sees the new one. The analyst's table is
    untouched, and a new session sees the fresh data through the same view."""
    mine = tmp_path / "mine.duckdb"
    attach = f"attach {sql_literal(str(copy / 'warehouse.duckdb'))} as ittisal (read_only);"
    _cli(str(mine), "-c", attach,
         "-c", "create table my_notes as select 'SYR' as country, 'watch' as remark;",
         "-c", "create view landed as select count(*) as n from ittisal.raw_documents;")

    session = subprocess.Popen([str(CLI), "-csv", "-noheader", str(mine)], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        session.stdin.write(attach + "\n")
        assert _ask(session, "select n from landed;") == "1"
        shutil.copy(SEEDS / OTHER_PAGE, copy / "landing" / "b.txt")
        started = time.monotonic()
        assert main(["run"]) == 0
        assert time.monotonic() - started < 60
        assert _ask(session, "select n from landed;") == "1"  # the file it opened
        session.stdin.write("detach ittisal;\n" + attach + "\n")
        assert _ask(session, "select n from landed;") == "2"  # the one just published
    finally:
        session.stdin.close()
        session.wait(timeout=30)
    assert session.returncode == 0

    out = _cli("-csv", "-noheader", str(mine), "-c", attach,
               "-c", "select count(*) from my_notes;", "-c", "select n from landed;")
    assert out.split() == ["1", "2"]
