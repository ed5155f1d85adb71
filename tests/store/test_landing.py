"""The landing contract: identities, feeds, and refusals with reasons."""

from __future__ import annotations

import json
import os
import time

from ittisal.store import landing as landing_module
from ittisal.store.landing import (
    LandedFile,
    RawRecord,
    Rejected,
    discover,
    fingerprints,
    read_records,
)
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


def test_hidden_files_are_not_landed(tmp_path):
    (tmp_path / ".partial.txt").write_text("نص", encoding="utf-8")
    (tmp_path / ".tmp").mkdir()
    (tmp_path / ".tmp" / "x.txt").write_text("نص", encoding="utf-8")
    assert discover(tmp_path) == []


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
