"""A hostile landing folder, generated here (never downloaded): every file either gives its
articles or lands in quarantine with its own reason, the run never fails, and every landed
record is accounted for. The huge inputs are refused without being read into memory."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import main
from tests.conftest import REPO, SEEDS
from tests.conftest import query_warehouse as _query

CALL = ("تلقى الرئيس المصري عبد الفتاح السيسي اليوم الأحد اتصالا هاتفيا من الرئيس الفرنسي "
        "إيمانويل ماكرون، بحثا خلاله العلاقات الثنائية.")
LINE = ("وأكد الجانبان أهمية التنسيق المشترك لمواجهة التحديات في المنطقة.")


def _feed_line(**record) -> str:
    return json.dumps(record, ensure_ascii=False)


def _land_hostile(landing: Path) -> dict[str, str]:
    """Writes the hostile corpus; returns each record's expected fate: `ok` (processed), or a
    phrase its quarantine reason must contain."""
    expect: dict[str, str] = {}

    def put(name: str, data: bytes | str, fate: str) -> None:
        path = landing / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = fate

    put("empty.txt", b"", "empty input")
    put("garbage.txt", bytes(range(256)) * 16, "binary")
    put("archive.zip", b"PK\x03\x04" + bytes(200), "unsupported file type")
    put("truncated.txt", CALL.encode("utf-8")[:-2], "ok")  # cut inside the last letter
    put("mixed.txt", CALL.encode("utf-8") + b"\n" + LINE.encode("cp1256") + b"\n", "ok")
    put("utf16.txt", CALL.encode("utf-16-le"), "ok")  # no BOM
    put("page.html", "<html><head><title>اتصال هاتفي</title><style>p{color:red}</style>"
                     "<script>document.write('SCRIPT-TEXT')</script></head><body>"
                     "<iframe src='https://example.org/x'>IFRAME-TEXT</iframe>"
                     f"<p>{CALL}</p></body></html>", "ok")
    put("english.txt", "The French president called the Egyptian president on Sunday to "
                       "discuss bilateral relations and the situation in the region.", "ok")
    put("one word.txt", "اتصال", "ok")
    for name in ("with space.txt", "عربي.txt", "a..b.txt", "-leading-dash.txt",
                 "new\nline.txt"):
        put(name, CALL, "ok")
    feed = [_feed_line(id="ok", text=CALL, published="2024-12-01"), "{not json",
            "[1, 2, 3]", _feed_line(id="no-text"), _feed_line(id="bad-type", text=5),
            _feed_line(id="twice", text=CALL), _feed_line(id="twice", text=CALL + " تعديل"),
            _feed_line(id="odd-date", text=CALL, published="yesterday"),
            _feed_line(id="future", text=CALL, published="2999-01-01"),
            _feed_line(id="../../etc/passwd", text=CALL)]
    put("feed.jsonl", "\n".join(feed) + "\n", "feed")
    os.symlink("/etc/hostname", landing / "outside.txt")
    expect["outside.txt"] = "symlink points outside"
    os.mkfifo(landing / "pipe.txt")  # reading it would block the run for ever
    expect["pipe.txt"] = "not a regular file"
    with open(os.fsencode(landing) + b"/bad\xff name.txt", "wb") as f:
        f.write(CALL.encode("utf-8"))
    expect["bad\\xff name.txt"] = "file name is not valid UTF-8"
    put("long.txt", (CALL + "\n") * 9_000, "text too long")  # 1.2M characters, 2 MB
    put("surrogate.jsonl", '{"id": "s", "text": "\\ud800 نص"}\n', "feed")
    # lines `json.loads` raises on with other than a JSON error, one record after them
    put("deep.jsonl", "\n".join(["[" * 1000 + "]" * 1000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                                 '{"id": "n", "text": "x", "n": 1' + "0" * 4300 + "}",
                                 _feed_line(id="after", text=CALL)]) + "\n", "feed")
    os.symlink("loop-b.txt", landing / "loop-a.txt")
    os.symlink("loop-a.txt", landing / "loop-b.txt")
    expect["loop-a.txt"] = expect["loop-b.txt"] = "loop"
    put(".hidden.txt", CALL, "hidden file skipped on purpose")
    put(".cache/x.txt", CALL, "")
    del expect[".cache/x.txt"]
    expect[".cache"] = "hidden folder skipped on purpose"
    os.symlink(landing / "عربي.txt", landing / "inside-link.txt")
    expect["inside-link.txt"] = "ok"
    os.symlink("/etc", landing / "etc")
    expect["etc"] = "symlink points outside"
    (landing / "folder").mkdir()
    os.symlink("folder", landing / "folder-link")
    expect["folder-link"] = "symlink to a folder"
    outside = landing.parent / "outside-secret.txt"
    outside.write_text(CALL, encoding="utf-8")
    os.link(outside, landing / "hard-link.txt")
    expect["hard-link.txt"] = "hard link"
    return expect




def test_every_hostile_record_is_processed_or_quarantined_with_its_reason(home):
    landing = home / "landing"
    expect = _land_hostile(landing)
    seed = SEEDS / "001_42ccee761c1e329b.txt"
    (landing / seed.name).write_bytes(seed.read_bytes())
    assert main(["run"]) == 0

    processed = {r[0]: r for r in _query(
        home, "select landing_path, encoding from raw_documents where line_no is null")}
    refused = dict(_query(home, "select source_id, reason from quarantine"))
    for name, fate in expect.items():
        if fate == "ok":
            assert name in processed, (name, refused.get(name))
        elif fate != "feed":
            assert fate in refused[name], (name, refused.get(name))
    assert processed["utf16.txt"][1] == "utf-16-le"
    assert processed["truncated.txt"][1] == "utf-8+truncated"
    assert processed["mixed.txt"][1] == "utf-8+cp1256"

    # feed lines: each good one processed under the feed's name, each bad one with its reason
    feed_ids = {r[0] for r in _query(home, "select source_id from raw_documents "
                                           "where landing_path = 'feed.jsonl'")}
    assert feed_ids == {"feed.jsonl#ok", "feed.jsonl#twice", "feed.jsonl#odd-date",
                        "feed.jsonl#future", "feed.jsonl#../../etc/passwd"}
    assert "not JSON" in refused["feed.jsonl#L2"] and "list" in refused["feed.jsonl#L3"]
    assert "`text`" in refused["feed.jsonl#L4"] and "`text`" in refused["feed.jsonl#L5"]
    assert "duplicate id 'twice'" in refused["feed.jsonl#L7"]
    assert "lone surrogate" in refused["surrogate.jsonl#L1"]
    assert all("RecursionError" in refused[f"deep.jsonl#L{n}"] for n in (1, 2))
    assert "4300 digits" in refused["deep.jsonl#L3"]
    assert _query(home, "select source_id from raw_documents where landing_path = 'deep.jsonl'"
                  ) == [("deep.jsonl#after",)]

    articles = {r[0]: r[1:] for r in _query(
        home, "select source_id, language, published, published_basis, text "
              "from cleaned_articles")}
    assert articles["english.txt"][0] == "en"
    assert articles["feed.jsonl#odd-date"][1] is None
    assert "not a date" in articles["feed.jsonl#odd-date"][2]
    assert articles["feed.jsonl#future"][1] is None
    assert "after the record was landed" in articles["feed.jsonl#future"][2]
    html_text = articles["page.html"][3]
    assert "SCRIPT-TEXT" not in html_text and "IFRAME-TEXT" not in html_text
    assert "color" not in html_text and "اتصالا هاتفيا" in html_text
    assert "اتصالا هاتفيا" in articles["truncated.txt"][3]
    assert LINE in articles["mixed.txt"][3]

    # events: every Arabic copy of the call is read, the English page and one word give none
    calls = dict(_query(home, """
        select m.source_id, count(*) from event_mentions as m
        where m.event_type = 'call' and list_sort(m.countries) = ['EGY', 'FRA']
        group by all"""))
    for name in ("truncated.txt", "mixed.txt", "utf16.txt", "page.html", "with space.txt",
                 "عربي.txt", "a..b.txt", "-leading-dash.txt", "new\nline.txt", "feed.jsonl#ok"):
        assert calls.get(name), name
    assert not _query(home, "select * from event_mentions where source_id in "
                            "('english.txt', 'one word.txt')")
    # the real article among them still gives its events
    assert _query(home, f"select count(*) from event_mentions where source_id = '{seed.name}'"
                  )[0][0] >= 3

    # nothing was written outside the home, whatever the names and ids said: the folder that
    # holds it has nothing new, and every stored part is named by a hash, never by an input
    # (beside the parts, each table's manifest)
    assert sorted(p.name for p in home.parent.iterdir()) == ["home"]
    for store in ("lake", "quarantine"):
        names = {p.name for p in (home / store).rglob("*") if p.is_file()}
        assert names and all(re.fullmatch(r"[0-9a-f]{20}\.parquet|all\.parquet|_manifest\.json", n)
                             for n in names), names


PEAK_RUN = """
import resource, sys
from pipelines.cli import main
code = main(["run"])
print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.slow
def test_huge_inputs_are_refused_unread_and_memory_stays_bounded(home):
    """A 100 MB page, and a 100 MB feed of ten 10 MB lines: the run reads neither whole."""
    landing = home / "landing"
    with open(landing / "dump.html", "wb") as f:
        block = ("<p>" + CALL + "</p>\n").encode("utf-8") * 1000
        while f.tell() < 100_000_000:
            f.write(block)
    line = _feed_line(id="x", text=CALL * 60_000).encode("utf-8")  # ~10 MB
    with open(landing / "huge.jsonl", "wb") as f:
        for i in range(10):
            f.write(line.replace(b'"id": "x"', f'"id": "x{i}"'.encode()) + b"\n")
        f.write(_feed_line(id="small", text=CALL).encode("utf-8") + b"\n")
    env = {**os.environ, "ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    out = subprocess.run([sys.executable, "-c", PEAK_RUN], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    code, peak_mb = int(out[-2]), int(out[-1])
    assert code == 0
    assert peak_mb < 1000, f"peak {peak_mb} MB"
    refused = dict(_query(home, "select source_id, reason from quarantine"))
    assert "too large for one article" in refused["dump.html"]
    assert all("feed line too long" in refused[f"huge.jsonl#L{i}"] for i in range(1, 11))
    assert _query(home, "select source_id from raw_documents") == [("huge.jsonl#small",)]
    print(f"peak memory of the run over 200 MB of huge input: {peak_mb} MB")
