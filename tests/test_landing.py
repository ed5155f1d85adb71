"""The landing contract: identities, feeds, and refusals with reasons."""

from __future__ import annotations

import json
import os

from ittisal.landing import RawRecord, Rejected, discover, read_records
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
