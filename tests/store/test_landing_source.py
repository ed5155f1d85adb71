"""Landing from an object-store prefix: mirrored into the landing folder before a run."""

from __future__ import annotations

import pyarrow.fs as pafs
import pytest

from ittisal.store.landing_source import _relative, mirror
from tests.conftest import CORPUS, SEEDS, built_home, query_warehouse, use_home
from tests.servers import Unavailable, s3_server


def _put(root, rel: str, data: bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_new_changed_and_removed_objects_reach_the_folder_and_hand_landed_files_stay(tmp_path):
    source, landing, state = tmp_path / "bucket", tmp_path / "landing", tmp_path / "state.json"
    seed = sorted(SEEDS.iterdir())[0].read_bytes()
    _put(source, "2024/page.txt", seed)
    _put(source, "feed.jsonl", (CORPUS / "dev" / "articles.jsonl").read_bytes())
    _put(landing, "by-hand.txt", seed)
    report = mirror(str(source), landing, state)
    assert sorted(report.copied) == ["2024/page.txt", "feed.jsonl"]
    assert (landing / "2024" / "page.txt").read_bytes() == seed
    assert mirror(str(source), landing, state).copied == []  # nothing new: nothing read
    _put(source, "2024/page.txt", seed + "\nخبر آخر".encode())
    (source / "feed.jsonl").unlink()
    report = mirror(str(source), landing, state)
    assert report.copied == ["2024/page.txt"] and report.removed == ["feed.jsonl"]
    assert sorted(p.name for p in landing.rglob("*") if p.is_file()) == ["by-hand.txt",
                                                                        "page.txt"]


def test_a_download_a_killed_mirror_left_is_removed_and_the_file_fetched_again(tmp_path):
    source, landing, state = tmp_path / "bucket", tmp_path / "landing", tmp_path / "state.json"
    _put(source, "page.txt", b"x")
    _put(landing, ".ittisal-mirror-0123", b"half")
    assert mirror(str(source), landing, state).copied == ["page.txt"]
    assert sorted(p.name for p in landing.iterdir()) == ["page.txt"]


def test_a_mirror_out_of_time_leaves_the_rest_to_the_next_one(tmp_path):
    source, landing, state = tmp_path / "bucket", tmp_path / "landing", tmp_path / "state.json"
    _put(source, "a.txt", b"a")
    _put(source, "b.txt", b"b")
    report = mirror(str(source), landing, state, seconds=-1)  # no time at all
    assert (report.copied, report.left) == ([], 2) and not list(landing.iterdir())
    assert mirror(str(source), landing, state).copied == ["a.txt", "b.txt"]


@pytest.mark.parametrize(("key", "rel"), [
    ("bucket/landing/a/b.txt", "a/b.txt"), ("bucket/landing/../x.txt", None),
    ("bucket/landing/a//b.txt", None), ("bucket/landing/dir/", None),
])
def test_a_key_that_would_leave_the_landing_folder_is_refused(key, rel):
    assert _relative(key, "bucket/landing") == rel


def test_an_s3_prefix_is_landed_and_run(tmp_path, monkeypatch):
    try:
        server = s3_server()
        endpoint, _ = server.__enter__()
    except Unavailable as exc:
        pytest.skip(str(exc))
    try:
        for name, value in {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test",
                            "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
                            "AWS_EC2_METADATA_DISABLED": "true"}.items():
            monkeypatch.setenv(name, value)
        fs = pafs.S3FileSystem(endpoint_override=endpoint.removeprefix("http://"),
                               scheme="http", access_key="test", secret_key="test",
                               region="us-east-1", allow_bucket_creation=True)
        fs.create_dir("news")
        pages = sorted(SEEDS.glob("*.txt"))
        for page in pages:
            with fs.open_output_stream(f"news/landing/{page.name}") as out:
                out.write(page.read_bytes())
        monkeypatch.setenv("ITTISAL_LANDING_SOURCE", "s3://news/landing")
        use_home(monkeypatch, tmp_path / "home")
        home = built_home(tmp_path / "home")
        local = built_home(tmp_path / "local", *[(p.name, p.read_bytes()) for p in pages])
        sql = "select day, country, calls from calls_by_country_by_day order by all"
        assert query_warehouse(home, sql) == query_warehouse(local, sql) != []
        fs.delete_file(f"news/landing/{pages[0].name}")
        from pipelines.cli import main

        assert main(["run"]) == 0
        articles = query_warehouse(home, "select count(distinct source_id) from raw_documents")
        assert articles == [(len(pages) - 1,)]
    finally:
        server.__exit__(None, None, None)
