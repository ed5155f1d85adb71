"""The landing contract: identities, feeds, and refusals with reasons."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from functools import partial

from ittisal import clock, stages
from ittisal.budget import RecordBudget
from ittisal.store import landing as landing_module
from ittisal.store.incremental import sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import (
    LandedFile,
    RawRecord,
    Rejected,
    discover,
    fingerprints,
    read_records,
)
from ittisal.store.schemas import CLEANED_ARTICLES, PARSED_ARTICLES, RAW_DOCUMENTS
from tests.conftest import CORPUS, SEEDS


def _records(landing):
    out = []
    for landed in discover(landing):
        out += list(read_records(landed, landing))
    return out


def test_files_are_identified_by_their_path_and_feed_lines_by_feed_and_id(tmp_path):
    (tmp_path / "seeds").mkdir()
    seed = SEEDS / "004_edd459b6dd962f52.txt"
    (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "feed.jsonl").write_bytes((CORPUS / "dev" / "articles.jsonl").read_bytes())
    records = _records(tmp_path)
    assert all(isinstance(r, RawRecord) for r in records)
    ids = [r.source_id for r in records]
    assert ids[-1] == f"seeds/{seed.name}"
    first = json.loads((CORPUS / "dev" / "articles.jsonl").read_text().splitlines()[0])
    assert ids[0] == f"feed.jsonl#{first['id']}" and records[0].published == first["published"]
    assert len(ids) == len(set(ids)) == 38


def test_bad_records_are_refused_with_specific_reasons_and_the_rest_kept(tmp_path):
    good = {"id": "a", "text": "تلقى الرئيس المصري اتصالا هاتفيا من الرئيس الفرنسي."}
    lines = [json.dumps(good, ensure_ascii=False), "{broken", "[1, 2]",
             json.dumps({"id": "b"}), json.dumps({"id": "c", "text": 5}),
             json.dumps({**good, "text": "نص آخر"}), ""]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    outside = tmp_path.parent / "outside.txt"
    outside.write_text("سر", encoding="utf-8")
    os.symlink(outside, tmp_path / "link.txt")
    records = _records(tmp_path)
    kept = [r.source_id for r in records if isinstance(r, RawRecord)]
    refused = {r.source_id: r.reason for r in records if isinstance(r, Rejected)}
    assert kept == ["feed.jsonl#a"]
    assert refused["feed.jsonl#L2"].startswith("feed line is not JSON")
    assert "list" in refused["feed.jsonl#L3"]
    assert "`text`" in refused["feed.jsonl#L4"] and "`text`" in refused["feed.jsonl#L5"]
    assert "duplicate id 'a'" in refused["feed.jsonl#L6"]
    assert refused["empty.txt"].startswith("empty")
    assert "unsupported file type" in refused["image.png"]
    assert "outside landing" in refused["link.txt"]


def test_hidden_paths_and_folder_symlinks_are_landed_and_refused_on_purpose(tmp_path):
    """Nothing under landing/ is passed over unseen: a hidden file, a hidden folder (one entry,
    its files unread) and a symlink to a folder each come back refused with why."""
    (tmp_path / ".partial.txt").write_text("نص", encoding="utf-8")
    (tmp_path / ".tmp").mkdir()
    (tmp_path / ".tmp" / "x.txt").write_text("نص", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("اتصال هاتفي", encoding="utf-8")
    os.symlink(tmp_path / "sub", tmp_path / "again")
    assert [f.relpath for f in discover(tmp_path)] == [".partial.txt", ".tmp", "again",
                                                      "sub/a.txt"]
    refused = {r.source_id: r.reason for r in _records(tmp_path) if isinstance(r, Rejected)}
    assert refused == {".partial.txt": "hidden file skipped on purpose",
                       ".tmp": "hidden folder skipped on purpose (its files are not read)",
                       "again": "symlink to a folder: not followed"}


def _land_seeds(landing, count=3):
    landing.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt"))[:count]:
        (landing / seed.name).write_bytes(seed.read_bytes())


def _later(monkeypatch, seconds=60):
    """The clock of a run some time after the files landed (past the racy window)."""
    now = time.time() + seconds
    monkeypatch.setattr(landing_module.time, "time", lambda: now)


def test_cached_fingerprints_equal_read_ones_and_unchanged_files_are_not_read_again(
        tmp_path, monkeypatch):
    landing, cache = tmp_path / "landing", tmp_path / "state" / "hashes.json"
    _land_seeds(landing)
    files = discover(landing)
    uncached = {f.part: f.fingerprint("v1") for f in files}
    _later(monkeypatch)
    assert fingerprints(files, "v1", cache) == uncached
    assert len(json.loads(cache.read_text())) == 3

    def no_reading(self, info=None):
        raise AssertionError(f"{self.relpath} was read again")

    monkeypatch.setattr(LandedFile, "identity", no_reading)
    assert fingerprints(discover(landing), "v1", cache) == uncached
    # another pipeline version changes every fingerprint, still without reading
    assert fingerprints(discover(landing), "v2", cache) != uncached


def test_a_changed_file_is_read_again_even_with_its_old_size_and_mtime(tmp_path, monkeypatch):
    landing, cache = tmp_path / "landing", tmp_path / "hashes.json"
    _land_seeds(landing, 1)
    [landed] = discover(landing)
    _later(monkeypatch)
    before = fingerprints([landed], "v1", cache)
    assert json.loads(cache.read_text())  # remembered
    time.sleep(0.05)  # past the file system's timestamp granularity
    info = landed.path.stat()
    data = landed.path.read_bytes()
    # same length, other country: «سوريا» → «ليبيا»
    changed = data.replace("سوريا".encode(), "ليبيا".encode(), 1)
    assert changed != data and len(changed) == len(data)
    landed.path.write_bytes(changed)
    os.utime(landed.path, ns=(info.st_atime_ns, info.st_mtime_ns))  # an mtime put back
    after = fingerprints([landed], "v1", cache)
    assert after != before  # the inode change time still moved
    assert after == {landed.part: landed.fingerprint("v1")}


def test_a_file_written_just_now_is_never_remembered_and_a_damaged_cache_is_ignored(tmp_path):
    landing, cache = tmp_path / "landing", tmp_path / "hashes.json"
    landing.mkdir()
    (landing / "new.txt").write_text("اتصال هاتفي بين الرئيس المصري والعاهل الأردني اليوم",
                                     encoding="utf-8")
    files = discover(landing)
    assert fingerprints(files, "v1", cache) == {files[0].part: files[0].fingerprint("v1")}
    assert not cache.exists() or json.loads(cache.read_text()) == {}
    cache.write_text("{not json")
    assert fingerprints(files, "v1", cache) == {files[0].part: files[0].fingerprint("v1")}


def test_a_cache_of_the_wrong_shape_is_treated_as_empty_and_rewritten(tmp_path, monkeypatch):
    landing, cache = tmp_path / "landing", tmp_path / "hashes.json"
    _land_seeds(landing, 1)
    files = discover(landing)
    [landed] = files
    expected = {landed.part: landed.fingerprint("v1")}
    info = landed.path.stat()
    key = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    _later(monkeypatch)
    for kept in ([1, 2], {landed.relpath: 5}, {landed.relpath: "ab"},
                 {landed.relpath: [key, 7]}, {landed.relpath: [key]}, {landed.relpath: None},
                 {landed.relpath: [[None, "x"], "abc"]},
                 {landed.relpath: [key, "abc"]}):  # an older cache: no line count
        cache.write_text(json.dumps(kept))
        assert fingerprints(files, "v1", cache) == expected, kept
        assert json.loads(cache.read_text()) == {
            landed.relpath: [key, *landed.identity_and_lines()]}


def test_a_record_any_parser_error_stops_is_refused_and_the_feed_read_on(tmp_path):
    """A 2 KB line of brackets, a 50,000-deep object, a 4,301-digit integer: each raises
    something other than a JSON error inside `json.loads`; each is one refused line."""
    good = json.dumps({"id": "ok", "text": "اتصال هاتفي"}, ensure_ascii=False)
    lines = ["[" * 1000 + "]" * 1000, '{"a":' * 50_000 + "1" + "}" * 50_000,
             '{"id": "big", "text": "x", "n": 1' + "0" * 4300 + "}",
             '{"id": 1' + "0" * 4300 + ', "text": "x"}', good]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    records = _records(tmp_path)
    assert [r.source_id for r in records if isinstance(r, RawRecord)] == ["feed.jsonl#ok"]
    refused = {r.source_id: r.reason for r in records if isinstance(r, Rejected)}
    assert "RecursionError" in refused["feed.jsonl#L1"]
    assert "RecursionError" in refused["feed.jsonl#L2"]
    assert "4300 digits" in refused["feed.jsonl#L3"] and "4300 digits" in refused["feed.jsonl#L4"]
    assert "symlink" in refused["a.txt"] and "symlink" in refused["b.txt"]


def test_a_hard_link_to_a_file_outside_landing_is_refused_and_links_inside_are_read(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("سر خارج مجلد الاستلام", encoding="utf-8")
    os.link(secret, landing / "hard.txt")
    (landing / "a.txt").write_text("اتصال هاتفي", encoding="utf-8")
    os.link(landing / "a.txt", landing / "b.txt")  # both links landed: nothing outside
    os.symlink(secret, landing / "soft.txt")
    records = {r.source_id: r for r in _records(landing)}
    assert "hard link" in records["hard.txt"].reason
    assert "outside landing" in records["soft.txt"].reason
    assert isinstance(records["a.txt"], RawRecord) and isinstance(records["b.txt"], RawRecord)
    assert not any("سر" in getattr(r, "text", "") + getattr(r, "excerpt", "")
                   for r in records.values())
    # the judgement is in the fingerprint: removing the outside link re-reads the file
    before = fingerprints(discover(landing), "v1")
    secret.unlink()
    assert fingerprints(discover(landing), "v1") != before


def test_a_folder_swapped_for_a_symlink_after_discovery_is_not_followed(tmp_path):
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    (landing / "sub").mkdir(parents=True)
    (landing / "sub" / "a.txt").write_text("اتصال هاتفي", encoding="utf-8")
    outside.mkdir()
    (outside / "a.txt").write_text("سر خارج مجلد الاستلام", encoding="utf-8")
    [landed] = discover(landing)
    (landing / "sub" / "a.txt").unlink()
    (landing / "sub").rmdir()
    os.symlink(outside, landing / "sub")
    [record] = read_records(landed, landing)
    assert isinstance(record, Rejected) and "سر" not in record.excerpt


def _stores(tmp_path) -> tuple[str, str]:
    return str(tmp_path / "lake"), str(tmp_path / "quarantine")


def _sync_raw(tmp_path, landing, wanted=None):
    files = discover(landing)
    lake, quarantine = _stores(tmp_path)
    return sync_table(lake, quarantine, RAW_DOCUMENTS, wanted or fingerprints(files, "v1"),
                      stages.ingest(landing, files, "v1"))


def test_a_part_is_saved_with_the_fingerprint_of_the_bytes_it_was_built_from(tmp_path):
    """A feed re-delivered by `cp` (truncated, then written again) between the plan and the
    read: the part records what was read, so the next run reads the whole file again."""
    landing = tmp_path / "landing"
    landing.mkdir()
    feed = landing / "feed.jsonl"
    whole = "".join(json.dumps({"id": i, "text": f"اتصال هاتفي رقم {i}"}, ensure_ascii=False)
                    + "\n" for i in range(3)).encode("utf-8")
    feed.write_bytes(whole)
    planned = fingerprints(discover(landing), "v1")
    feed.write_bytes(whole[: whole.index(b"\n") + 1])  # what a read during the copy sees
    _sync_raw(tmp_path, landing, planned)
    feed.write_bytes(whole)  # the copy finishes: the same bytes as planned
    lake = Lake(_stores(tmp_path)[0])
    assert lake.fingerprints(RAW_DOCUMENTS.name) != fingerprints(discover(landing), "v1")
    report = _sync_raw(tmp_path, landing)
    assert report.computed and lake.row_count(RAW_DOCUMENTS.name) == 3
    assert lake.fingerprints(RAW_DOCUMENTS.name) == fingerprints(discover(landing), "v1")


def test_refused_lines_are_streamed_out_not_held_until_the_part_ends(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    bad_lines = 40_000
    (landing / "bad.jsonl").write_bytes(b"{broken\n" * bad_lines)
    tracemalloc.start()
    try:
        report = _sync_raw(tmp_path, landing)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.quarantined == bad_lines
    assert Lake(_stores(tmp_path)[1]).row_count(RAW_DOCUMENTS.name) == bad_lines
    # held until the end, 40,000 refusals are ~25 MB; streamed, a batch of them
    assert peak < 8_000_000, f"peak {peak:,} bytes"


def _clean(tmp_path, landing) -> dict[str, tuple]:
    """Run ingest → parse → clean; the feed records' (published, published_basis)."""
    lake, quarantine = _stores(tmp_path)
    _sync_raw(tmp_path, landing)
    for table, upstream, func in ((PARSED_ARTICLES, RAW_DOCUMENTS, stages.parse_part),
                                  (CLEANED_ARTICLES, PARSED_ARTICLES, stages.clean_part)):
        sync_table(lake, quarantine, table, Lake(lake).fingerprints(upstream.name),
                   partial(func, lake=lake, budget=RecordBudget(max_chars=200_000, seconds=0)))
    rows = Lake(lake).read_table(CLEANED_ARTICLES.name).to_pylist()
    return {r["source_id"]: (r["published"], r["published_basis"]) for r in rows}


def test_a_clock_running_behind_is_judged_again_once_it_is_right(tmp_path, monkeypatch):
    import datetime as dt
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "feed.jsonl").write_text(json.dumps(
        {"id": "a", "text": "تلقى الرئيس المصري اتصالا هاتفيا من الرئيس الفرنسي.",
         "published": "2024-12-01"}, ensure_ascii=False) + "\n", encoding="utf-8")
    behind = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utc_now", lambda: behind)
    published, basis = _clean(tmp_path, landing)["feed.jsonl#a"]
    assert published is None and "after the record was landed" in basis
    # a later run with the clock still behind keeps its parts
    assert not _sync_raw(tmp_path, landing).computed
    right = dt.datetime(2024, 12, 3, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utc_now", lambda: right)
    assert _clean(tmp_path, landing)["feed.jsonl#a"] == (dt.date(2024, 12, 1), "feed")
    assert not _sync_raw(tmp_path, landing).computed
