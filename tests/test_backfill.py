"""A backfill by landed file: the dev and dev2 feeds landed as nine files, their partitions
registered, and `process_landing` run through Dagster as three ranged runs (what a backfill
with a multi-run policy launches) give the warehouse one plain `ittisal run` gives."""

from __future__ import annotations

import time
from pathlib import Path

import dagster as dg
import pytest

from assets.partitions import LANDED_FILES, RANGE_END, RANGE_START, sync_partitions
from ittisal.settings import Settings
from pipelines.cli import main
from tests.conftest import CORPUS, use_home, warehouse_tables

pytestmark = pytest.mark.slow
FEEDS = ("dev/articles.jsonl", "dev2/tune/articles.jsonl", "dev2/check/articles.jsonl")
FILES_PER_FEED = 3


def _land(landing: Path) -> None:
    """Each feed's lines split into FILES_PER_FEED files of consecutive lines."""
    for feed in FEEDS:
        lines = (CORPUS / feed).read_text(encoding="utf-8").splitlines(True)
        size = -(-len(lines) // FILES_PER_FEED)
        folder = landing / feed.rsplit("/", 1)[0].replace("/", "-")
        folder.mkdir(parents=True)
        for i in range(FILES_PER_FEED):
            (folder / f"part-{i}.jsonl").write_text("".join(lines[i * size:(i + 1) * size]),
                                                    encoding="utf-8")


def _ranges(keys: list[str], runs: int) -> list[list[str]]:
    size = -(-len(keys) // runs)
    return [keys[i:i + size] for i in range(0, len(keys), size)]


def test_three_ranged_runs_give_the_warehouse_of_one_plain_run(tmp_path, monkeypatch):
    from pipelines.definitions import defs

    plain, spread = tmp_path / "plain", tmp_path / "spread"
    for home in (plain, spread):
        _land(home / "landing")

    use_home(monkeypatch, plain)
    started = time.monotonic()
    assert main(["run"]) == 0
    plain_seconds = time.monotonic() - started
    with dg.DagsterInstance.get() as instance:  # the run registered a partition per file
        assert len(instance.get_dynamic_partitions(LANDED_FILES.name)) == 9

    use_home(monkeypatch, spread)
    settings = Settings.from_env()
    job = defs.resolve_job_def("process_landing")
    with dg.DagsterInstance.ephemeral() as instance:
        assert sync_partitions(instance, settings.landing) == (9, 0)
        keys = list(instance.get_dynamic_partitions(LANDED_FILES.name))
        started = time.monotonic()
        for scope in _ranges(keys, 3):
            result = job.execute_in_process(
                instance=instance, raise_on_error=False,
                tags={RANGE_START: scope[0], RANGE_END: scope[-1]})
            assert result.success
            raw = [e.materialization for e in result.get_asset_materialization_events()
                   if e.materialization.asset_key.to_user_string() == "raw_documents"]
            # one materialization per file of the range, each for the range's files alone
            assert sorted(m.partition for m in raw) == sorted(scope)
            assert all(m.metadata["parts_computed"].value == len(scope) for m in raw)
        spread_seconds = time.monotonic() - started
    print(f"plain run {plain_seconds:.1f} s, three ranged runs {spread_seconds:.1f} s")

    tables = warehouse_tables(spread / "warehouse.duckdb")
    expected = warehouse_tables(plain / "warehouse.duckdb")
    assert sorted(tables) == sorted(expected)
    for name in ("event_mentions", "events", "calls_by_country_by_day"):
        assert expected[name], f"{name} must have rows to compare"
    for name, rows in expected.items():
        assert tables[name] == rows, name
