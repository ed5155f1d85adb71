"""Cross-document tables, the SQL models from `sql/`, and the published DuckDB warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib

import dagster as dg
import pyarrow as pa

from assets.metadata import arrow_column_schema, column_schema, daily_calls_chart, preview
from ittisal.inference import MentionDating, infer_publication_dates
from ittisal.lake import Lake
from ittisal.locks import exclusive, table_lock
from ittisal.schemas import (
    ARTICLE_DATES,
    CLEANED_ARTICLES,
    DOCUMENT_TABLES,
    EVENT_MENTIONS,
    QUARANTINE,
    TABLES,
)
from ittisal.sqlmodels import SQL_DIR, SqlModel, load_models, run_model
from ittisal.version import pipeline_version
from ittisal.warehouse import (
    inputs_signature,
    lake_table,
    publish_warehouse,
    published_signature,
    remove_leftovers,
)
from pipelines.resources import IttisalStorage

WHOLE_TABLE_PART = "all"
# the daily schedule runs at 03:00 UTC: a table older than a day and a few hours is stale
DAILY = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=30),
                                       warn_window=dt.timedelta(hours=26))


def read_lake_table(storage: IttisalStorage, name: str) -> pa.Table:
    return lake_table(storage.settings(), name)


def _write_whole(storage: IttisalStorage, name: str, rows: pa.Table, signature: str) -> None:
    settings = storage.settings()
    with exclusive(table_lock(settings, name)):
        Lake(settings.lake).write_part(name, WHOLE_TABLE_PART, rows.schema, [rows], signature)


def _unchanged(storage: IttisalStorage, name: str, signature: str) -> dg.MaterializeResult | None:
    """A result saying nothing was done, when the table was built from these very inputs.
    First sweeps what a killed writer of this table left behind."""
    settings = storage.settings()
    lake = Lake(settings.lake)
    with exclusive(table_lock(settings, name)):
        lake.remove_leftovers(name)
    if lake.fingerprints(name).get(WHOLE_TABLE_PART) != signature:
        return None
    return dg.MaterializeResult(metadata={"dagster/row_count": lake.row_count(name),
                                          "skipped": "inputs unchanged"})


@dg.asset(
    group_name=ARTICLE_DATES.layer, kinds={"parquet", "python"},
    description=ARTICLE_DATES.description, deps=[CLEANED_ARTICLES.name, EVENT_MENTIONS.name],
    metadata={"dagster/column_schema": column_schema(ARTICLE_DATES)},
)
def article_dates(storage: IttisalStorage) -> dg.MaterializeResult:
    signature = inputs_signature(storage.settings(), [CLEANED_ARTICLES.name,
                                                      EVENT_MENTIONS.name], pipeline_version())
    if skipped := _unchanged(storage, ARTICLE_DATES.name, signature):
        return skipped
    articles = read_lake_table(storage, CLEANED_ARTICLES.name).select(
        ["article_id", "published", "published_basis"]).to_pylist()
    mentions = read_lake_table(storage, EVENT_MENTIONS.name).to_pylist()
    inferred = infer_publication_dates(
        {a["article_id"]: a["published"] for a in articles},
        (MentionDating(m["article_id"], m["event_type"], tuple(m["countries"]),
                       m["event_date"], m["date_offset"], m["date_weekday"])
         for m in mentions if not m["background"]),
    )
    rows = []
    for a in sorted(articles, key=lambda a: a["article_id"]):
        day, basis = inferred.get(a["article_id"], (a["published"], a["published_basis"]))
        rows.append({"article_id": a["article_id"], "published": day, "published_basis": basis})
    table = pa.Table.from_pylist(rows, schema=ARTICLE_DATES.arrow_schema)
    _write_whole(storage, ARTICLE_DATES.name, table, signature)
    return dg.MaterializeResult(metadata={"dagster/row_count": table.num_rows,
                                          "inferred": len(inferred)})


def upstream_assets(tables: list[str] | tuple[str, ...]) -> list[str]:
    """Asset keys behind table names: `quarantine` is written by every document stage."""
    keys: set[str] = set()
    for name in tables:
        keys |= {t.name for t in DOCUMENT_TABLES} if name == QUARANTINE.name else {name}
    return sorted(keys)


# charts shown on a model's asset page, drawn from its rows
CHARTS = {"calls_by_country_by_day": daily_calls_chart}


def sql_model_asset(model: SqlModel) -> dg.AssetsDefinition:
    """An asset that runs one `sql/*.sql` file over the tables it names."""

    @dg.asset(
        name=model.name, group_name="models", kinds={"duckdb", "sql"},
        description=model.description or f"SQL model {model.path.name}",
        deps=upstream_assets(model.deps), code_version=_hash(model.sql), freshness_policy=DAILY,
        metadata={"sql": dg.MetadataValue.md(f"```sql\n{model.sql}\n```")},
    )
    def _asset(storage: IttisalStorage) -> dg.MaterializeResult:
        signature = inputs_signature(storage.settings(), model.deps, model.sql)
        if skipped := _unchanged(storage, model.name, signature):
            return skipped
        inputs = {dep: read_lake_table(storage, dep) for dep in model.deps}
        rows = run_model(model, inputs)
        _write_whole(storage, model.name, rows, signature)
        metadata = {
            "dagster/row_count": rows.num_rows,
            "dagster/column_schema": arrow_column_schema(rows.schema, model.column_docs),
            "preview": preview(rows),
        }
        if model.name in CHARTS:
            metadata["chart"] = CHARTS[model.name](rows)
        return dg.MaterializeResult(metadata=metadata)

    return _asset


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SQL_MODELS = load_models(SQL_DIR)
MODEL_ASSETS = [sql_model_asset(m) for m in SQL_MODELS]
WAREHOUSE_TABLES = sorted({*TABLES, *(m.name for m in SQL_MODELS)})


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
        signature = inputs_signature(settings, WAREHOUSE_TABLES, "warehouse")
        if published_signature(path) == signature:
            return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                                  "skipped": "inputs unchanged"})
        tables = {name: read_lake_table(storage, name) for name in WAREHOUSE_TABLES}
        comments = {name: TABLES[name].description for name in TABLES}
        comments |= {m.name: m.description for m in SQL_MODELS}
        publish_warehouse(path, tables, comments, signature)
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        **{f"rows/{name}": t.num_rows for name, t in tables.items()},
    })

