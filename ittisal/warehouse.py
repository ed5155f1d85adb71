"""Publish the analysts' DuckDB file: built aside, then swapped in by one rename.

The Parquet lake is the record; the warehouse is a copy for SQL users. Building a new file
and renaming it over the old one means an analyst holding the old file open is never blocked
and never sees a mix of old and new tables: their session keeps the old file until they
reconnect.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from ittisal.lake import Lake
from ittisal.schemas import QUARANTINE, TABLES
from ittisal.settings import Settings


def table_signature(settings: Settings, name: str) -> str:
    """A hash of what a lake table holds now: the fingerprints of all its parts."""
    if name == QUARANTINE.name:
        q = Lake(settings.quarantine)
        items = sorted((stage, part, fp) for stage in TABLES
                       for part, fp in q.fingerprints(stage).items())
    else:
        items = sorted(Lake(settings.lake).fingerprints(name).items())
    return hashlib.sha256(repr(items).encode()).hexdigest()


def inputs_signature(settings: Settings, tables: Iterable[str], code: str) -> str:
    """A hash of the inputs and code of a whole-table step: equal means nothing to do."""
    parts = [code, *(f"{t}={table_signature(settings, t)}" for t in sorted(tables))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def lake_table(settings: Settings, name: str) -> pa.Table:
    """A table of the lake by name: registered tables by their schema (raw bytes left out),
    quarantine as the union of every stage's refusals, models as written."""
    if name == QUARANTINE.name:
        q = Lake(settings.quarantine)
        return pa.concat_tables([q.read_table(stage, QUARANTINE.arrow_schema)
                                 for stage in sorted(TABLES)])
    lake = Lake(settings.lake)
    if name in TABLES:
        columns = [c for c in TABLES[name].column_names if c != "content"]
        return lake.read_table(name, TABLES[name].arrow_schema, columns)
    return lake.read_table(name)


def remove_leftovers(path: Path) -> int:
    """Delete the half-built files a killed publisher left beside `path`; returns how many.
    Only for a caller that holds the warehouse lock."""
    leftovers = [p for p in path.parent.glob(f".{path.name}.*")
                 if p.name.endswith((".building", ".building.wal", ".signature"))]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return len(leftovers)


def published_signature(path: Path) -> str | None:
    """The inputs signature the current warehouse file was built from, if any."""
    sidecar = path.with_name(path.name + ".signature")
    return sidecar.read_text() if sidecar.exists() and path.exists() else None


def publish_warehouse(path: Path, tables: Mapping[str, pa.Table],
                      comments: Mapping[str, str] | None = None,
                      signature: str | None = None) -> None:
    """Write `tables` into a fresh DuckDB file and atomically replace `path` with it; then
    record the signature of what it was built from (a crash in between only means a rebuild
    next time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.building")
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name in sorted(tables):
                con.register("_incoming", tables[name])
                con.execute(f'create table "{name}" as select * from _incoming')
                con.unregister("_incoming")
                if comments and comments.get(name):
                    con.execute(f"comment on table \"{name}\" is "
                                f"'{comments[name].replace(chr(39), chr(39) * 2)}'")
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, path)
        if signature:
            sidecar = path.with_name(f".{path.name}.{uuid.uuid4().hex}.signature")
            sidecar.write_text(signature)
            os.replace(sidecar, path.with_name(path.name + ".signature"))
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
