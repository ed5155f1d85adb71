"""`sync_table` with a scope (a run's partitions): it computes the parts of the files in scope
only, leaves the others' rows as they are, replaces a re-run file's rows, and deletes the
parts of a removed file whatever the scope. Over real articles of the dev feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ittisal import stages
from ittisal.store.incremental import sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, fingerprints
from ittisal.store.schemas import RAW_DOCUMENTS
from ittisal.version import pipeline_version
from tests.conftest import CORPUS


def _land(landing: Path, name: str, lines: list[str]) -> None:
    landing.mkdir(parents=True, exist_ok=True)
    (landing / name).write_text("".join(lines), encoding="utf-8")


def _sync(tmp_path: Path, scope: set[str] | None):
    landing = tmp_path / "landing"
    files = discover(landing)
    version = pipeline_version()
    return sync_table(str(tmp_path / "lake"), str(tmp_path / "q"), RAW_DOCUMENTS,
                      fingerprints(files, version), stages.ingest(landing, files, version),
                      scope=scope)


def _rows(tmp_path: Path) -> dict[str, list[str]]:
    """source ids by landed path."""
    table = Lake(str(tmp_path / "lake")).read_table(RAW_DOCUMENTS.name,
                                                    RAW_DOCUMENTS.arrow_schema)
    out: dict[str, list[str]] = {}
    for path, source in zip(table.column("landing_path").to_pylist(),
                            table.column("source_id").to_pylist(), strict=True):
        out.setdefault(path, []).append(source)
    return {path: sorted(ids) for path, ids in out.items()}


@pytest.fixture
def feed_lines() -> list[str]:
    lines = (CORPUS / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines(True)
    assert len(lines) >= 20
    return lines


def _part(tmp_path: Path, name: str) -> str:
    [landed] = [f for f in discover(tmp_path / "landing") if f.relpath == name]
    return landed.part


def test_a_scoped_sync_computes_its_files_only_and_replaces_exactly_their_rows(
        tmp_path, feed_lines):
    landing = tmp_path / "landing"
    _land(landing, "a.jsonl", feed_lines[:10])
    _land(landing, "b.jsonl", feed_lines[10:20])
    a, b = _part(tmp_path, "a.jsonl"), _part(tmp_path, "b.jsonl")

    only_a = _sync(tmp_path, {a})
    assert only_a.computed == [a] and only_a.unchanged == 0 and only_a.deleted == []
    assert list(_rows(tmp_path)) == ["a.jsonl"]

    both = _sync(tmp_path, None)
    assert both.computed == [b] and both.unchanged == 1
    b_rows = _rows(tmp_path)["b.jsonl"]
    assert len(b_rows) == 10
    b_file = Lake(str(tmp_path / "lake")).part_path(RAW_DOCUMENTS.name, b)
    b_written = Path(b_file).stat().st_mtime_ns

    # a is rewritten with other lines; b changes too, but is out of scope
    _land(landing, "a.jsonl", feed_lines[20:24])
    _land(landing, "b.jsonl", feed_lines[10:12])
    rerun = _sync(tmp_path, {a})
    assert rerun.computed == [a] and rerun.deleted == []
    rows = _rows(tmp_path)
    expected_a = sorted(f"a.jsonl#{json.loads(line)['id']}" for line in feed_lines[20:24])
    assert rows["a.jsonl"] == expected_a  # exactly the new lines: no old rows, no duplicates
    assert rows["b.jsonl"] == b_rows  # untouched although its file changed
    assert Path(b_file).stat().st_mtime_ns == b_written

    # the same scope again: a is up to date, nothing is written
    assert _sync(tmp_path, {a}).computed == []


def test_a_removed_file_s_part_is_deleted_by_a_run_scoped_to_other_files(tmp_path, feed_lines):
    landing = tmp_path / "landing"
    _land(landing, "a.jsonl", feed_lines[:5])
    _land(landing, "b.jsonl", feed_lines[5:10])
    a = _part(tmp_path, "a.jsonl")
    _sync(tmp_path, None)
    b = _part(tmp_path, "b.jsonl")
    (landing / "b.jsonl").unlink()
    report = _sync(tmp_path, {a})
    assert report.computed == [] and report.deleted == [b]
    assert list(_rows(tmp_path)) == ["a.jsonl"]
    manifest = json.loads((tmp_path / "lake" / RAW_DOCUMENTS.name / "_manifest.json")
                          .read_text(encoding="utf-8"))
    assert b not in json.dumps(manifest) and a in json.dumps(manifest)
