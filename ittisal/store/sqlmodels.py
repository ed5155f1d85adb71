"""SQL models: one DuckDB `select` per file in `sql/`, its inputs read from the SQL itself.

DuckDB returns a statement's parse tree (`json_serialize_sql`); every `BASE_TABLE` node that
is not a CTE of the statement is an input. A model runs in an in-memory DuckDB over Arrow
tables, so its result can go back to the Parquet lake like every other table.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads

from ittisal.store.lake import ParquetFiles

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


class SqlModelError(ValueError):
    """A model file that DuckDB cannot parse, or that reads a table nobody builds."""


@dataclass(frozen=True)
class SqlModel:
    name: str
    path: Path
    sql: str
    deps: tuple[str, ...]

    @property
    def description(self) -> str:
        """The leading `--` comment block of the file, up to its `Columns:` list."""
        return " ".join(line for line in self._header() if line).split("Columns:")[0].strip()

    @property
    def column_docs(self) -> dict[str, str]:
        """`name: description` lines after `Columns:` in the header; indented lines continue."""
        docs: dict[str, str] = {}
        lines = self._header()
        if "Columns:" not in lines:
            return docs
        name = None
        for raw in self.sql.splitlines()[lines.index("Columns:") + 1:]:
            if not raw.startswith("--"):
                break
            body = raw[2:]
            if body.startswith("   ") and not body.startswith("     ") and ":" in body:
                name, _, text = body.strip().partition(":")
                docs[name] = text.strip()
            elif name and body.strip():
                docs[name] += " " + body.strip()
        return docs

    def _header(self) -> list[str]:
        lines = []
        for line in self.sql.splitlines():
            if not line.startswith("--"):
                break
            lines.append(line[2:].strip())
        return lines


def _walk(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def table_dependencies(sql: str) -> tuple[str, ...]:
    """Tables a `select` reads, without its own CTE names, sorted."""
    con = duckdb.connect()
    try:
        tree = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    finally:
        con.close()
    if tree.get("error"):
        raise SqlModelError(tree.get("error_message", "unparseable SQL"))
    tables, ctes = set(), set()
    for node in _walk(tree["statements"]):
        if node.get("type") == "BASE_TABLE":
            tables.add(node["table_name"])
        for entry in node.get("cte_map", {}).get("map", []) if isinstance(
                node.get("cte_map"), dict) else []:
            ctes.add(entry["key"])
    return tuple(sorted(tables - ctes))


def load_models(sql_dir: Path) -> list[SqlModel]:
    """Every `*.sql` file in `sql_dir`, named for its file, sorted by name."""
    models = []
    for path in sorted(sql_dir.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        try:
            deps = table_dependencies(sql)
        except SqlModelError as exc:
            raise SqlModelError(f"{path.name}: {exc}") from exc
        models.append(SqlModel(path.stem, path, sql, deps))
    return models


def in_dependency_order(models: list[SqlModel]) -> list[SqlModel]:
    """Models sorted so each comes after the models it reads."""
    by_name = {m.name: m for m in models}
    done: list[SqlModel] = []

    def visit(model: SqlModel, path: tuple[str, ...]) -> None:
        if model in done:
            return
        if model.name in path:
            raise SqlModelError(f"models read each other in a cycle: {' → '.join(path)}")
        for dep in model.deps:
            if dep in by_name:
                visit(by_name[dep], (*path, model.name))
        done.append(model)

    for model in models:
        visit(model, ())
    return done


def connect(database: str = ":memory:", memory_limit: str | None = None,
            spill_dir: Path | None = None,
            storage_version: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (private and in memory by default) that holds at most
    `memory_limit` and spills the rest of a large sort, join or grouping to `spill_dir`;
    a new database file is written in `storage_version` (DuckDB's newest when None).
    Settings go in as configuration, not SQL text: a path may hold any character."""
    config = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if spill_dir:
        spill_dir.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = spill_dir.as_posix()
    if storage_version:
        config["storage_compatibility_version"] = storage_version
    return duckdb.connect(database, config=config)


def sql_literal(text: str) -> str:
    """`text` as a SQL string literal, for the statements that take no parameters (a view's
    file list, a table comment)."""
    return "'" + text.replace("'", "''") + "'"


ArrowInput = pa.Table | pa.RecordBatchReader | pads.Dataset | ParquetFiles


def bind(con: duckdb.DuckDBPyConnection, name: str, source: ArrowInput) -> None:
    """Make `source` readable as the view `name`: Parquet files through DuckDB's own reader
    (it streams within DuckDB's memory limit, where an Arrow scanner's read-ahead does not),
    anything else registered as Arrow."""
    if isinstance(source, ParquetFiles) and source.paths:
        files = ", ".join(sql_literal(p) for p in source.paths)
        con.execute(f'create or replace view "{name}" as select * from read_parquet([{files}])')
        return
    data = source.schema.empty_table() if isinstance(source, ParquetFiles) else source
    con.register(f"_input_{name}", data)
    con.execute(f'create or replace view "{name}" as select * from "_input_{name}"')


@contextmanager
def model_rows(model: SqlModel, inputs: Mapping[str, ArrowInput],
               con: duckdb.DuckDBPyConnection | None = None,
               batch_rows: int = 50_000) -> Iterator[pa.RecordBatchReader]:
    """The rows of a model over Arrow inputs, as a stream of batches (datasets are scanned
    lazily, only the columns the SQL names). `con` defaults to a fresh `connect()`."""
    missing = set(model.deps) - set(inputs)
    if missing:
        raise SqlModelError(f"{model.name} reads tables that are not given: {sorted(missing)}")
    con = con or connect()
    try:
        for name in model.deps:
            bind(con, name, inputs[name])
        yield con.sql(model.sql).to_arrow_reader(batch_rows)
    finally:
        con.close()


def run_model(model: SqlModel, inputs: Mapping[str, ArrowInput]) -> pa.Table:
    """A model's whole result as one table (for small inputs: tests, schemas, benchmarks)."""
    with model_rows(model, inputs) as rows:
        return rows.read_all()


def output_schemas(models: list[SqlModel], inputs: Mapping[str, pa.Schema]
                   ) -> dict[str, pa.Schema]:
    """Each model's result schema, found by running it over empty tables of `inputs`, in one
    connection (the definitions need these schemas each time they load)."""
    schemas: dict[str, pa.Schema] = {}
    con = connect()
    try:
        for name, schema in inputs.items():
            bind(con, name, schema.empty_table())
        for model in in_dependency_order(models):
            schemas[model.name] = con.sql(model.sql).limit(0).to_arrow_table().schema
            bind(con, model.name, schemas[model.name].empty_table())
    finally:
        con.close()
    return {m.name: schemas[m.name] for m in models}


def run_in_order(models: list[SqlModel], tables: dict[str, pa.Table]
                 ) -> Iterator[tuple[str, float]]:
    """Run every model after the models it reads, adding each result to `tables`; yields
    each model's name and seconds as it finishes."""
    for model in in_dependency_order(models):
        started = time.perf_counter()
        tables[model.name] = run_model(model, {d: tables[d] for d in model.deps})
        yield model.name, time.perf_counter() - started
