"""Cross-document tables, the SQL models from `sql/`, and the published DuckDB warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from assets.metadata import (
    column_schema,
    model_column_schemas,
    preview,
    stored_table_metadata,
)
from assets.resources import IttisalStorage
from ittisal.settings import Settings
from ittisal.store.article_dates import article_dates as article_dates_rows
from ittisal.store.lake import Lake
from ittisal.store.locks import exclusive, table_lock
from ittisal.store.progress import current as current_progress
from ittisal.store.schemas import (
    ARTICLE_DATES,
    CLEANED_ARTICLES,
    DOCUMENT_TABLES,
    EVENT_MENTIONS,
    QUARANTINE,
    TABLES,
)
from ittisal.store.sqlmodels import SQL_DIR, SqlModel, connect, load_models, model_rows
from ittisal.store.warehouse import (
    inputs_signature,
    lake_source,
    publish_warehouse,
    reason_to_rebuild,
    remove_leftovers,
    warehouse_code,
    warehouse_docs,
)
from ittisal.version import pipeline_version

WHOLE_TABLE_PART = "all"
# the daily schedule runs at 03:00 UTC: a table older than a day and a few hours is stale
DAILY = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=30),
                                       warn_window=dt.timedelta(hours=26))


def duckdb_for(settings: Settings, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection bounded by the configured memory, spilling under the home."""
    return connect(database, settings.duckdb_memory, settings.duckdb_spill)


def _write_whole(storage: IttisalStorage, name: str, rows: pa.RecordBatchReader | pa.Table,
                 signature: str) -> int:
    """Stream `rows` into the table's single part, published atomically; returns the rows."""
    settings = storage.settings()
    with exclusive(table_lock(settings, name)):
        return Lake(settings.lake).write_part(name, WHOLE_TABLE_PART, rows.schema, rows,
                                              signature)


def _unchanged(storage: IttisalStorage, name: str, signature: str) -> dg.MaterializeResult | None:
    """A result saying nothing was done, when the table was built from these very inputs,
    with the same row count, preview and chart as the step that built it (the asset page
    shows the latest materialization's). First sweeps what a killed writer of this table
    left behind."""
    settings = storage.settings()
    lake = Lake(settings.lake)
    with exclusive(table_lock(settings, name)):
        lake.remove_leftovers(name)
    if lake.fingerprints(name).get(WHOLE_TABLE_PART) != signature:
        return None
    return dg.MaterializeResult(metadata={**stored_table_metadata(settings, name, _schema(name)),
                                          "skipped": "inputs unchanged"})


def _schema(name: str) -> pa.Schema | None:
    """The registered schema of a lake table; None for a model (its SQL's)."""
    return TABLES[name].arrow_schema if name in TABLES else None


@dg.asset(
    group_name=ARTICLE_DATES.layer, kinds={"parquet", "python"},
    description=ARTICLE_DATES.description, deps=[CLEANED_ARTICLES.name, EVENT_MENTIONS.name],
    metadata={"dagster/column_schema": column_schema(ARTICLE_DATES)},
)
def article_dates(storage: IttisalStorage) -> dg.MaterializeResult:
    signature = inputs_signature(storage.settings(), [CLEANED_ARTICLES.name,
                                                      EVENT_MENTIONS.name], pipeline_version())
    settings = storage.settings()
    if skipped := _unchanged(storage, ARTICLE_DATES.name, signature):
        current_progress().step(ARTICLE_DATES.name, SKIPPED)
        return dg.MaterializeResult(metadata={**skipped.metadata,
                                              "inferred": _inferred_dates(settings)})
    con = duckdb_for(settings)
    try:
        rows, inferred = article_dates_rows(con, lake_source(settings, CLEANED_ARTICLES.name),
                                            lake_source(settings, EVENT_MENTIONS.name))
        written = _write_whole(storage, ARTICLE_DATES.name,
                               rows.cast(ARTICLE_DATES.arrow_schema), signature)
    finally:
        con.close()
    current_progress().step(ARTICLE_DATES.name, _built(written))
    return dg.MaterializeResult(metadata={
        **stored_table_metadata(settings, ARTICLE_DATES.name, ARTICLE_DATES.arrow_schema),
        "inferred": inferred})


def _inferred_dates(settings: Settings) -> int:
    """Dates the stored `article_dates` inferred (what the step that built it counted)."""
    basis = Lake(settings.lake).read_table(ARTICLE_DATES.name, ARTICLE_DATES.arrow_schema,
                                           ["published_basis"])["published_basis"]
    return pc.sum(pc.starts_with(basis, "inferred")).as_py() or 0


def upstream_assets(tables: list[str] | tuple[str, ...]) -> list[str]:
    """Asset keys behind table names: `quarantine` is written by every document stage."""
    keys: set[str] = set()
    for name in tables:
        keys |= {t.name for t in DOCUMENT_TABLES} if name == QUARANTINE.name else {name}
    return sorted(keys)


def sql_model_asset(model: SqlModel, columns: dg.TableSchema) -> dg.AssetsDefinition:
    """An asset that runs one `sql/*.sql` file over the tables it names; `columns` are those
    its SQL makes."""

    @dg.asset(
        name=model.name, group_name="models", kinds={"duckdb", "sql"},
        description=model.description or f"SQL model {model.path.name}",
        deps=upstream_assets(model.deps), code_version=_hash(model.sql), freshness_policy=DAILY,
        metadata={"sql": dg.MetadataValue.md(f"```sql\n{model.sql}\n```"),
                  "dagster/column_schema": columns},
    )
    def _asset(storage: IttisalStorage) -> dg.MaterializeResult:
        signature = inputs_signature(storage.settings(), model.deps, model.sql)
        if skipped := _unchanged(storage, model.name, signature):
            current_progress().step(model.name, SKIPPED)
            return skipped
        settings = storage.settings()
        inputs = {dep: lake_source(settings, dep) for dep in model.deps}
        with model_rows(model, inputs, duckdb_for(settings)) as rows:
            written = _write_whole(storage, model.name, rows, signature)
        current_progress().step(model.name, _built(written))
        return dg.MaterializeResult(metadata=stored_table_metadata(settings, model.name))

    return _asset


SKIPPED = "skipped: inputs unchanged"


def _built(rows: int) -> str:
    """What a whole-table step that ran says (one line of `ittisal run`'s progress)."""
    return f"built: {rows:,} row" + ("" if rows == 1 else "s")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SQL_MODELS = load_models(SQL_DIR)
MODEL_COLUMNS = model_column_schemas(SQL_MODELS, TABLES)
MODEL_ASSETS = [sql_model_asset(m, MODEL_COLUMNS[m.name]) for m in SQL_MODELS]
WAREHOUSE_TABLES = sorted({*TABLES, *(m.name for m in SQL_MODELS)})
WAREHOUSE_DOCS = warehouse_docs(SQL_MODELS)


@dg.asset(
    group_name="warehouse", kinds={"duckdb"}, deps=upstream_assets(WAREHOUSE_TABLES),
    pool="warehouse", freshness_policy=DAILY,
    description="The analysts' DuckDB file: every table, built aside and published by one "
                "atomic rename so open sessions are never blocked or shown a half-built file.",
)
def warehouse(storage: IttisalStorage) -> dg.MaterializeResult:
    settings = storage.settings()
    path = settings.warehouse
    with exclusive(table_lock(settings, "warehouse")):
        remove_leftovers(path)  # of a publisher that was killed
        signature = inputs_signature(settings, WAREHOUSE_TABLES, warehouse_code(WAREHOUSE_DOCS))
        reason = reason_to_rebuild(path, signature)
        if reason is None:  # it holds the lake's tables, row for row (reason_to_rebuild)
            lake = Lake(settings.lake)
            counts = {name: lake.row_count(name) for name in WAREHOUSE_TABLES}
            current_progress().step("warehouse", SKIPPED)
            return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                                  "preview": _tables_preview(counts),
                                                  "skipped": "inputs unchanged"})
        tables = {name: lake_source(settings, name) for name in WAREHOUSE_TABLES}
        current_progress().step("warehouse", f"publishing {len(tables)} tables ({reason})")
        counts = publish_warehouse(path, tables, WAREHOUSE_DOCS, signature, settings.duckdb_memory,
                                   settings.duckdb_spill)
    current_progress().step("warehouse", f"published: {len(counts)} tables, "
                                         f"{sum(counts.values()):,} rows, at {path}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)), "rebuilt because": reason,
        "preview": _tables_preview(counts)})


def _tables_preview(counts: dict[str, int]) -> dg.MetadataValue:
    """The warehouse's preview: its tables and their rows."""
    names = sorted(counts)
    return preview(pa.table({"table": names, "rows": [counts[n] for n in names]}),
                   limit=len(names))

