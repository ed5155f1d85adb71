"""Dagster metadata generated from the schema registry and from what a step did."""

from __future__ import annotations

import base64

import dagster as dg
import pyarrow as pa

from ittisal.charts import daily_calls_png
from ittisal.store.incremental import StageReport
from ittisal.store.schemas import Table, duckdb_type


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


def daily_calls_chart(rows: pa.Table) -> dg.MetadataValue:
    """The PNG chart of `ittisal.charts`, inline in Markdown so the asset page shows it."""
    png = daily_calls_png(list(zip(rows["day"].to_pylist(), rows["country"].to_pylist(),
                                   rows["calls"].to_pylist(), strict=True)))
    return dg.MetadataValue.md(f"![daily calls](data:image/png;base64,"
                               f"{base64.b64encode(png).decode('ascii')})")


def preview(rows: pa.Table, limit: int = 10) -> dg.MetadataValue:
    """A markdown table of the first rows, with cell text escaped and shortened."""
    head = rows.slice(0, limit).to_pylist()
    if not head:
        return dg.MetadataValue.md("_no rows_")
    cols = rows.column_names

    def cell(value: object) -> str:
        text = str(value) if value is not None else ""
        text = text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
        return text if len(text) <= 80 else text[:77] + "…"

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(r[c]) for c in cols) + " |" for r in head]
    return dg.MetadataValue.md("\n".join(lines))


def stage_metadata(report: StageReport, total_rows: int) -> dict[str, object]:
    return {
        "dagster/row_count": total_rows,
        "parts_computed": len(report.computed),
        "parts_unchanged": report.unchanged,
        "parts_deleted": len(report.deleted),
        "rows_written": report.rows_written,
        "records_quarantined": report.quarantined,
    }
