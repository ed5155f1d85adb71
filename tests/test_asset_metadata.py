"""What the Dagster UI shows of each asset: column schemas declared on the definitions (so no
run is needed to see them), previews an analyst can read, and a second run with nothing new
that reports the same preview and chart as the run that built the tables."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import dagster as dg
import pyarrow as pa

from assets.metadata import (
    INLINE_MARKDOWN_CHARS,
    cell_text,
    model_column_schemas,
    preview,
    stored_preview,
    stored_table_metadata,
)
from ittisal.settings import Settings
from ittisal.store.lake import Lake
from ittisal.store.schemas import RAW_DOCUMENTS, TABLES
from ittisal.store.sqlmodels import SQL_DIR, load_models
from tests.conftest import SEEDS

# calls_by_country_by_day of the bundled samples (README, "How good it is")
CALLS = pa.table({
    "day": [dt.date(2024, 11, 30), dt.date(2024, 12, 1), dt.date(2024, 12, 31)],
    "country": ["IRQ", "IRQ", "EGY"],
    "calls": [1, 2, 1],
    "partners": [["SYR"], ["SYR", "TUR"], []],
    "articles": [2, 3, None],
})


def _rows(markdown: dg.MetadataValue) -> list[list[str]]:
    lines = markdown.value.splitlines()
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[2:]]


def test_a_preview_prints_lists_and_nulls_as_an_sql_client_does():
    table = preview(CALLS)
    assert table.value.splitlines()[0] == "| day | country | calls | partners | articles |"
    assert _rows(table) == [["2024-11-30", "IRQ", "1", "[SYR]", "2"],
                            ["2024-12-01", "IRQ", "2", "[SYR, TUR]", "3"],
                            ["2024-12-31", "EGY", "1", "[]", ""]]
    assert "'" not in table.value  # no Python list repr


def test_a_preview_cell_is_one_escaped_shortened_line():
    text = "قال الوزير | في بيان\nإن <b> الاتصال " + "تناول " * 40
    [[cell]] = _rows(preview(pa.table({"evidence": [text]})))
    assert "\n" not in cell and "<b>" not in cell and "&lt;b>" in cell
    assert "\\|" in cell
    assert cell.endswith("…") and len(cell) < len(text)
    assert cell_text(b"\x00" * 12) == "<12 bytes>"
    assert cell_text(dt.datetime(2024, 12, 1, 9, 30, tzinfo=dt.UTC)) == "2024-12-01 09:30:00+00:00"
    assert preview(CALLS.slice(0, 0)).value == "_no rows_"
    assert len(_rows(preview(CALLS, limit=2))) == 2


def test_a_long_preview_keeps_as_many_rows_as_the_asset_page_shows_inline():
    long = pa.table({f"column_{i}": ["نص طويل من مقال " * 5] * 10 for i in range(6)})
    shown = preview(long)
    assert len(shown.value) < INLINE_MARKDOWN_CHARS
    assert 1 <= len(_rows(shown)) < 10
    assert len(_rows(preview(CALLS))) == 3  # small tables are shown whole


def test_a_wide_table_is_previewed_turned_a_line_per_column():
    wide = pa.table({"article_id": ["a#0", "a#1", "b#0", "c#0"],
                     **{f"column_{i}": [i, None, 2 * i, 3] for i in range(7)}})
    shown = preview(wide)
    assert shown.value.splitlines()[0] == "| column | row 1 | row 2 | row 3 |"
    assert _rows(shown)[0] == ["article_id", "a#0", "a#1", "b#0"]
    assert _rows(shown)[2] == ["column_1", "1", "", "2"]
    assert len(_rows(shown)) == 8
    # too wide for three rows inline: fewer rows, at least one
    wider = pa.table({f"column_{i}": ["x" * 50] * 3 for i in range(40)})
    assert wider.num_columns == len(_rows(preview(wider)))
    assert preview(wider).value.splitlines()[0] == "| column | row 1 |"


def test_every_asset_but_the_warehouse_file_declares_its_columns_on_its_definition():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        metadata = graph.get(key).assets_def.metadata_by_key[key]
        name = key.to_user_string()
        if name == "warehouse":
            continue
        schema = metadata["dagster/column_schema"]
        assert isinstance(schema, dg.TableSchema), name
        if name in TABLES:
            assert [c.name for c in schema.columns] == TABLES[name].column_names
        assert all(c.description for c in schema.columns), name


def test_model_columns_are_those_their_sql_makes_with_their_header_descriptions():
    models = load_models(SQL_DIR)
    schemas = model_column_schemas(models, TABLES)
    calls = {c.name: c for c in schemas["calls_by_country_by_day"].columns}
    assert list(calls) == ["day", "country", "calls", "partners", "articles",
                           "independent_reports"]
    assert calls["day"].type == "date" and calls["partners"].type == "varchar[]"
    assert calls["partners"].description == "The other countries of those calls, sorted."
    for model in models:
        assert {c.name for c in schemas[model.name].columns} == set(model.column_docs), model.name


def test_a_stored_preview_reads_the_first_rows_and_leaves_the_raw_bytes_out(tmp_path):
    lake = Lake(str(tmp_path / "lake"))
    assert stored_preview(lake, RAW_DOCUMENTS.name, RAW_DOCUMENTS.arrow_schema).value == \
        "_no rows_"
    rows = [{c: None for c in RAW_DOCUMENTS.column_names} | {
        "source_id": f"feed.jsonl#{i}", "landing_path": "feed.jsonl", "line_no": i,
        "content": "اتصال هاتفي".encode()} for i in range(30)]
    lake.write_part(RAW_DOCUMENTS.name, "p", RAW_DOCUMENTS.arrow_schema,
                    [pa.Table.from_pylist(rows, RAW_DOCUMENTS.arrow_schema)], "f")
    shown = stored_preview(lake, RAW_DOCUMENTS.name, RAW_DOCUMENTS.arrow_schema, limit=2)
    lines = _rows(shown)  # turned: a line per column
    assert lines[0] == ["source_id", "feed.jsonl#0", "feed.jsonl#1"]
    assert [line[0] for line in lines] == [c for c in RAW_DOCUMENTS.column_names
                                           if c != "content"]


def test_a_kept_preview_and_chart_serve_only_while_the_table_is_unchanged(home):
    settings = Settings.from_env()
    lake = Lake(settings.lake)
    lake.write_part("calls_by_country_by_day", "all", CALLS.schema, [CALLS], "built-1")
    first = stored_table_metadata(settings, "calls_by_country_by_day")
    assert first["dagster/row_count"] == 3
    assert first["chart"].value.startswith("![daily calls](data:image/png;base64,")
    cache = settings.state / "previews" / "calls_by_country_by_day.json"
    kept = json.loads(cache.read_text(encoding="utf-8"))
    kept["entries"]["preview"] = "kept"
    cache.write_text(json.dumps(kept), encoding="utf-8")
    assert stored_table_metadata(settings, "calls_by_country_by_day")["preview"].value == "kept"

    fewer = CALLS.slice(0, 2)
    lake.write_part("calls_by_country_by_day", "all", fewer.schema, [fewer], "built-2")
    again = stored_table_metadata(settings, "calls_by_country_by_day")
    assert again["dagster/row_count"] == 2 and len(_rows(again["preview"])) == 2
    assert again["chart"] != first["chart"]


def _materializations(result) -> dict[str, dict[str, object]]:
    return {e.materialization.asset_key.to_user_string():
            {k: v.value for k, v in e.materialization.metadata.items()}
            for e in result.get_asset_materialization_events()}


def test_a_run_with_nothing_new_reports_the_same_preview_and_chart(home):
    from pipelines.cli import execute_landing_job

    shutil.copytree(SEEDS, home / "landing" / "samples",
                    ignore=shutil.ignore_patterns("*.jsonl"))
    settings = Settings.from_env()
    first = _materializations(execute_landing_job(settings, "WARNING"))
    again = _materializations(execute_landing_job(settings, "WARNING"))

    calls = again["calls_by_country_by_day"]
    assert calls["skipped"] == "inputs unchanged"
    for entry in ("dagster/row_count", "preview", "chart"):
        assert calls[entry] == first["calls_by_country_by_day"][entry], entry
    assert "| 2024-12-01 | IRQ | 2 | [SYR, TUR] |" in calls["preview"]
    assert calls["chart"].startswith("![daily calls](data:image/png;base64,")
    assert list(calls).index("preview") < list(calls).index("chart")
    for name in ("raw_documents", "cleaned_articles", "event_mentions", "article_dates",
                 "events", "warehouse"):
        assert again[name]["preview"] == first[name]["preview"], name
        assert again[name]["preview"].startswith("| "), name
    assert "| samples/" in again["cleaned_articles"]["preview"]
    assert again["cleaned_articles"]["parts_computed"] == 0
    # the samples' undated pages whose day other reports of the same contact fix
    assert again["article_dates"]["inferred"] == first["article_dates"]["inferred"] > 0
    assert "| calls_by_country_by_day | 7 |" in again["warehouse"]["preview"]
