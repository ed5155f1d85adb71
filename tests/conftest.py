"""Shared fixtures: where the shared corpus lives, and a throw-away ITTISAL_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from ittisal.settings import LOCATION_VARIABLES

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SEEDS = REPO / "data" / "samples"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def corpus_article(set_path: str, id_suffix: str) -> dict:
    """The one article of a shared corpus set (`dev/articles.jsonl`, `dev2/tune/articles.jsonl`)
    whose id ends in `id_suffix`, read from ../shared/corpus (never copied into the repo)."""
    [article] = [a for a in read_jsonl(CORPUS / set_path) if a["id"].endswith(id_suffix)]
    return article


def query_warehouse(home: Path, sql: str) -> list[tuple]:
    """Rows of `sql` over the warehouse of `home`, read-only as an analyst would open it."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# columns that say when a home read a file, not what it read
WHEN = {"ingested_at"}


def warehouse_tables(warehouse: Path) -> dict[str, list[str]]:
    """Every table of a warehouse file as its sorted rows (`WHEN` columns left out): two
    homes that processed the same landing in different ways must give equal ones."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("show tables").fetchall():
            cols = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where table_name = ? "
                "order by column_index", [name]).fetchall() if c not in WHEN]
            listed = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'select {listed} from "{name}"').fetchall()
            out[name] = sorted(map(repr, rows))
        return out
    finally:
        con.close()


def use_home(monkeypatch: pytest.MonkeyPatch, root: Path) -> Path:
    """Point ITTISAL_HOME and DAGSTER_HOME at `root`, with no location overridden."""
    monkeypatch.setenv("ITTISAL_HOME", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / "dagster"))
    for var in LOCATION_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    return root


def built_home(root: Path, *files: tuple[str, bytes]) -> Path:
    """A home at `root` with `files` (name, bytes) landed and one `ittisal run` done."""
    from pipelines.cli import main

    (root / "landing").mkdir(parents=True)
    for name, data in files:
        (root / "landing" / name).write_bytes(data)
    with pytest.MonkeyPatch.context() as mp:
        use_home(mp, root)
        assert main(["run"]) == 0
    return root


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty ITTISAL_HOME with its own Dagster instance folder."""
    root = tmp_path / "home"
    (root / "landing").mkdir(parents=True)
    return use_home(monkeypatch, root)
