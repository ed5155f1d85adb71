"""Dagster metadata generated from the schema registry, from the tables as stored, and from
what a step did.

Column schemas go on the asset definitions (from `ittisal.store.schemas` and, for the SQL
models, their `Columns:` headers with the types DuckDB gives over empty inputs), so the UI
shows them before any run. Preview and chart are drawn from the table as it is stored, so a
step that found nothing to do reports the same content as the step that built the table.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq

from ittisal.charts import daily_calls_png
from ittisal.settings import Settings
from ittisal.store.incremental import StageReport
from ittisal.store.lake import Lake
from ittisal.store.schemas import Table, duckdb_type
from ittisal.store.sqlmodels import SqlModel, output_schemas
from ittisal.store.state import read_state, write_state
from ittisal.store.warehouse import table_signature, warehouse_columns
from ittisal.version import pipeline_version

PREVIEW_ROWS = 10
CELL_CHARS = 40
# Dagster's UI shows a markdown entry inline only when it is shorter than this (longer ones
# hide behind "[Show Markdown]": MetadataEntry.tsx in dagster-webserver 1.13)
INLINE_MARKDOWN_CHARS = 1000
WIDE_COLUMNS, WIDE_ROWS = 6, 3  # a wider table is previewed turned, with at most 3 rows
# what draws previews and charts, besides `ittisal/` (which `pipeline_version` covers)
_DRAWING_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def column_schema(table: Table) -> dg.TableSchema:
    return dg.TableSchema(columns=[
        dg.TableColumn(c.name, c.sql_type, description=c.description) for c in table.columns
    ])


def arrow_column_schema(schema: pa.Schema, docs: dict[str, str] | None = None
                        ) -> dg.TableSchema:
    """The columns of a model's result, described from its SQL header."""
    return dg.TableSchema(columns=[dg.TableColumn(f.name, duckdb_type(f.type),
                                                  description=(docs or {}).get(f.name))
                                   for f in schema])


def model_column_schemas(models: list[SqlModel], tables: dict[str, Table]
                         ) -> dict[str, dg.TableSchema]:
    """Each model's columns as its SQL makes them from the registered tables: known when the
    definitions load, whatever any run did."""
    schemas = output_schemas(models, {name: t.arrow_schema for name, t in tables.items()})
    return {m.name: arrow_column_schema(schemas[m.name], m.column_docs) for m in models}


def daily_calls_chart(rows: pa.Table) -> dg.MetadataValue:
    """The PNG chart of `ittisal.charts`, inline in Markdown so the asset page shows it."""
    png = daily_calls_png(list(zip(rows["day"].to_pylist(), rows["country"].to_pylist(),
                                   rows["calls"].to_pylist(), strict=True)))
    return dg.MetadataValue.md(f"![daily calls](data:image/png;base64,"
                               f"{base64.b64encode(png).decode('ascii')})")


def cell_text(value: object) -> str:
    """A value as an analyst's SQL client prints it: lists as `[IRQ, SYR]`, not Python's
    `['IRQ', 'SYR']`; nulls empty; bytes by their size."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cell_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _markdown_cell(value: object) -> str:
    text = " ".join(cell_text(value).split())  # one line
    if len(text) > CELL_CHARS:
        text = text[:CELL_CHARS - 1] + "…"
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("&", "&amp;")
            .replace("<", "&lt;"))


def preview(rows: pa.Table, limit: int = PREVIEW_ROWS) -> dg.MetadataValue:
    """A markdown table of the first rows (at most `limit`), cells escaped and shortened, and
    only as many rows as keep it short enough for the asset page to show it inline (at least
    one). A table of more than `WIDE_COLUMNS` columns is shown turned, a line per column and
    a column per row (at most `WIDE_ROWS`), so that it fits the page's width."""
    head = rows.slice(0, limit).to_pylist()
    if not head:
        return dg.MetadataValue.md("_no rows_")
    cols = rows.column_names
    if len(cols) <= WIDE_COLUMNS:
        return dg.MetadataValue.md(_fitted(
            cols, [[_markdown_cell(r[c]) for c in cols] for r in head]))
    for shown in range(min(len(head), WIDE_ROWS), 0, -1):
        text = _fitted(["column", *(f"row {i}" for i in range(1, shown + 1))],
                       [[c, *(_markdown_cell(r[c]) for r in head[:shown])] for c in cols],
                       whole=True)
        if len(text) < INLINE_MARKDOWN_CHARS or shown == 1:
            return dg.MetadataValue.md(text)
    raise AssertionError("unreachable: one row is always shown")


def _fitted(header: list[str], body: list[list[str]], whole: bool = False) -> str:
    """Markdown lines of `header` and as many `body` rows as stay under the inline size
    (all of them when `whole`, and at least one)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    size = sum(len(line) + 1 for line in lines)
    for cells in body:
        line = "| " + " | ".join(cells) + " |"
        if not whole and len(lines) > 2 and size + len(line) >= INLINE_MARKDOWN_CHARS:
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def stored_preview(lake: Lake, name: str, schema: pa.Schema | None = None,
                   limit: int = PREVIEW_ROWS) -> dg.MetadataValue:
    """The preview of a lake table as stored (its first rows, raw bytes left out), reading
    only the first row group of its first parts (a dataset's scanner reads far ahead)."""
    batches: list[pa.RecordBatch] = []
    rows = 0
    for path in lake.part_paths(name):
        with lake.fs.open_input_file(path) as f:
            part = pq.ParquetFile(f)
            columns = warehouse_columns(name, part.schema_arrow)
            for batch in part.iter_batches(batch_size=limit - rows, columns=columns):
                batches.append(batch)
                rows += batch.num_rows
                break
        if rows >= limit:
            break
    if batches:
        return preview(pa.Table.from_batches(batches).slice(0, limit), limit)
    empty = schema.empty_table() if schema is not None else pa.table({})
    return preview(empty.select(warehouse_columns(name, empty.schema)), limit)


# charts shown on a model's asset page, drawn from its whole stored table
CHARTS: dict[str, Callable[[pa.Table], dg.MetadataValue]] = {
    "calls_by_country_by_day": daily_calls_chart,
}


def stored_table_metadata(settings: Settings, name: str, schema: pa.Schema | None = None
                          ) -> dict[str, object]:
    """Row count, preview and (for the tables that have one) chart of a lake table as stored:
    the same whether this step wrote it or found it unchanged. Preview and chart are kept in
    `.state/previews` with the table's signature and the code that drew them, and drawn again
    only when either changed: drawing the chart costs more than the rest of a skipped step."""
    lake = Lake(settings.lake)
    key = hashlib.sha256(f"{table_signature(settings, name)}:{pipeline_version()}:"
                         f"{_DRAWING_CODE}".encode()).hexdigest()
    cache = settings.state / "previews" / f"{name}.json"
    kept = read_state(cache)
    entries = kept.get("entries") if kept.get("key") == key else None
    if not isinstance(entries, dict):
        entries = {"preview": stored_preview(lake, name, schema).value}
        if name in CHARTS:
            entries["chart"] = CHARTS[name](lake.read_table(name, schema)).value
        write_state(cache, {"key": key, "entries": entries})
    return {"dagster/row_count": lake.row_count(name),  # preview first, as the step wrote them
            **{label: dg.MetadataValue.md(entries[label]) for label in ("preview", "chart")
               if label in entries}}


def stage_metadata(report: StageReport, total_rows: int) -> dict[str, object]:
    return {
        "dagster/row_count": total_rows,
        "parts_computed": len(report.computed),
        "parts_unchanged": report.unchanged,
        "parts_deleted": len(report.deleted),
        "rows_written": report.rows_written,
        "records_quarantined": report.quarantined,
    }
