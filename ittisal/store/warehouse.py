"""Publish the analysts' DuckDB file: built aside, then swapped in by one rename.

The Parquet lake is the record; the warehouse is a copy for SQL users. Building a new file
and renaming it over the old one means an analyst holding the old file open is never blocked
and never sees a mix of old and new tables: their session keeps the old file until they
reconnect. Nothing but a run should write the file, yet anything may (an analyst opening it
read-write, a copy from elsewhere, a broken disk): a run keeps it only after checking it.
Every table and column carries its description as a DuckDB comment, so the data dictionary
is in the file itself (`duckdb_tables()`, `duckdb_columns()`).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads

from ittisal.settings import Settings
from ittisal.store.lake import Lake, ParquetFiles
from ittisal.store.schemas import QUARANTINE, TABLES
from ittisal.store.sqlmodels import ArrowInput, SqlModel, bind, connect, sql_literal

# The storage format the warehouse file is written in. DuckDB 2.0's own format is read by no
# DuckDB 1.x client: the newest command-line tool on PyPI (duckdb-cli 1.5.6) reads v1.0.0 to
# v1.5.0 only. v1.4.0 is read by DuckDB 1.4 (the long-term release many drivers ship) as well,
# and gives a file of the same size as 2.0's own format on our tables.
STORAGE_VERSION = "v1.4.0"


@dataclass(frozen=True)
class TableDoc:
    """What the warehouse says of a table and of each of its columns (`COMMENT ON`)."""
    description: str
    columns: Mapping[str, str]


def warehouse_docs(models: Iterable[SqlModel]) -> dict[str, TableDoc]:
    """The descriptions of every registered table and SQL model and of their columns: the
    schema registry and the `Columns:` header of each model file, as in `docs/tables.md`."""
    docs = {name: TableDoc(t.description, {c.name: c.description for c in t.columns})
            for name, t in TABLES.items()}
    docs |= {m.name: TableDoc(m.description, m.column_docs) for m in models}
    return docs


def warehouse_code(docs: Mapping[str, TableDoc]) -> str:
    """What decides the published file besides its input tables: the storage version and the
    comments, so a change to either publishes the warehouse again."""
    described = {name: [doc.description, sorted(doc.columns.items())]
                 for name, doc in docs.items()}
    return json.dumps(["warehouse", STORAGE_VERSION, described], sort_keys=True)


def _part_items(lake: Lake, table: str) -> list[tuple]:
    """Each part of `table` with its fingerprint, size and time."""
    return [(part, e.footer.fingerprint, e.size, e.mtime_ns)
            for part, e in lake.catalog(table).entries.items()]


def table_signature(settings: Settings, name: str) -> str:
    """A hash of what a lake table holds now: each part's fingerprint, and its size and time,
    so whatever was computed from the table (a model, the warehouse, a check's result) is
    computed again after any part was rewritten, even behind its footer."""
    if name == QUARANTINE.name:
        q = Lake(settings.quarantine)
        items = sorted((stage, *item) for stage in TABLES for item in _part_items(q, stage))
    else:
        items = sorted(_part_items(Lake(settings.lake), name))
    return hashlib.sha256(repr(items).encode()).hexdigest()


def inputs_signature(settings: Settings, tables: Iterable[str], code: str) -> str:
    """A hash of the inputs and code of a whole-table step: equal means nothing to do."""
    parts = [code, *(f"{t}={table_signature(settings, t)}" for t in sorted(tables))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _locate(settings: Settings, name: str) -> tuple[Lake, pa.Schema | None, list[str]]:
    """Where a lake table's parts are and the schema to read them with: registered tables by
    their schema, quarantine as the union of every stage's refusals, models as written."""
    if name == QUARANTINE.name:
        q = Lake(settings.quarantine)
        return q, QUARANTINE.arrow_schema, [p for stage in sorted(TABLES)
                                            for p in q.part_paths(stage)]
    lake = Lake(settings.lake)
    return lake, TABLES[name].arrow_schema if name in TABLES else None, lake.part_paths(name)


def lake_source(settings: Settings, name: str) -> ParquetFiles | pads.Dataset:
    """A table of the lake by name, for lazy reading (see `Lake.source`)."""
    lake, schema, paths = _locate(settings, name)
    return lake.source(name, schema, paths)


def lake_table(settings: Settings, name: str) -> pa.Table:
    """A whole table in memory (raw bytes left out): for tests and small tables only."""
    lake, schema, paths = _locate(settings, name)
    columns = warehouse_columns(name, schema) if schema is not None else None
    return lake.read_table(name, schema, columns, paths)


def warehouse_columns(name: str, schema: pa.Schema) -> list[str]:
    """The columns of a lake table the warehouse copies: all but the raw bytes."""
    return [c for c in schema.names if not (name in TABLES and c == "content")]


def remove_leftovers(path: Path) -> int:
    """Delete the half-built files a killed publisher left beside `path`; returns how many.
    Only for a caller that holds the warehouse lock."""
    leftovers = [p for p in path.parent.glob(f".{path.name}.*")
                 if p.name.endswith((".building", ".building.wal", ".signature"))]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return len(leftovers)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".signature")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _identity(path: Path) -> list[int]:
    """Size and modification time: any write to the file, or another file put in its
    place, changes them."""
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def reason_to_rebuild(path: Path, signature: str) -> str | None:
    """Why the warehouse at `path` may not be kept as the build of `signature`, or None when
    it may: it must be the very file published from these inputs (its record beside it says
    what it was built from, its size and time, and the rows of each table), with no write-ahead
    log beside it (someone opened it read-write), and it must open read-only and hold exactly
    those tables with those row counts."""
    try:
        record = json.loads(_sidecar(path).read_text(encoding="utf-8"))
        if not isinstance(record, dict) or record.get("signature") != signature:
            return "built from other inputs"
        if record.get("identity") != _identity(path):
            return "the file was changed or replaced since it was published"
    except (OSError, ValueError):
        return "no record of its build"
    if _wal(path).exists():
        return "a read-write session left a write-ahead log beside it"
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            tables = {n for (n,) in con.execute("show tables").fetchall()}
            if tables != set(record.get("rows", {})):
                return "its tables are not the published ones"
            for name, rows in record["rows"].items():
                if con.execute(f'select count(*) from "{name}"').fetchall()[0][0] != rows:
                    return f"table {name} does not hold its {rows} rows"
        finally:
            con.close()
    except duckdb.Error as exc:
        return f"it does not open: {exc}"
    return None


def forget_published(path: Path) -> None:
    """Make the next run rebuild the warehouse whatever it finds (a full refresh)."""
    _sidecar(path).unlink(missing_ok=True)


def _comment(con: duckdb.DuckDBPyConnection, name: str, doc: TableDoc | None) -> None:
    """Write `doc` on table `name` and on each of its columns that `doc` describes."""
    if doc is None:
        return
    if doc.description:
        con.execute(f'comment on table "{name}" is {sql_literal(doc.description)}')
    present = {c for (c,) in con.execute(
        "select column_name from duckdb_columns() "
        "where database_name = current_database() and table_name = ?", [name]).fetchall()}
    for column, text in doc.columns.items():
        if column in present and text:
            con.execute(f'comment on column "{name}"."{column}" is {sql_literal(text)}')


def publish_warehouse(path: Path, tables: Mapping[str, ArrowInput],
                      docs: Mapping[str, TableDoc] | None = None,
                      signature: str | None = None, memory_limit: str | None = None,
                      spill_dir: Path | None = None) -> dict[str, int]:
    """Copy `tables` (all but their raw bytes) into a fresh DuckDB file in `STORAGE_VERSION`
    table by table, streaming, with `docs` as comments on the tables and their columns, and
    atomically replace `path` with it; then record what it was built from
    (a crash in between only means a rebuild next time). A write-ahead log a read-write
    session left beside the old file is removed first: beside the new file it would make
    every reader's open fail, while the old file without it is still a consistent snapshot.
    Returns rows per table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.building")
    counts = {}
    try:
        con = connect(str(tmp), memory_limit, spill_dir, STORAGE_VERSION)
        try:
            for name in sorted(tables):
                columns = ", ".join(f'"{c}"' for c in warehouse_columns(name,
                                                                        tables[name].schema))
                bind(con, "_incoming", tables[name])
                con.execute(f'create table "{name}" as select {columns} from _incoming')
                con.execute("drop view _incoming")
                counts[name] = con.execute(f'select count(*) from "{name}"').fetchall()[0][0]
                _comment(con, name, (docs or {}).get(name))
            con.execute("checkpoint")
        finally:
            con.close()
        _wal(path).unlink(missing_ok=True)
        os.replace(tmp, path)
        if signature:
            record = {"signature": signature, "identity": _identity(path), "rows": counts}
            sidecar = path.with_name(f".{path.name}.{uuid.uuid4().hex}.signature")
            sidecar.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
            os.replace(sidecar, _sidecar(path))
    finally:
        for leftover in (tmp, _wal(tmp)):
            leftover.unlink(missing_ok=True)
    return counts
