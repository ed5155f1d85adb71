import pyarrow as pa
import pytest

from ittisal.store.incremental import PartJob, sync_table
from ittisal.store.lake import DAMAGED, Lake
from ittisal.store.schemas import QUARANTINE, Column, Table

SCHEMA = pa.schema([pa.field("x", pa.int64())])
NUMBERS = Table("numbers", "core", "", ("x",), (Column("x", pa.int64(), "a number"),))


def test_part_is_published_whole_with_its_fingerprint(tmp_path):
    lake = Lake(str(tmp_path))
    rows = lake.write_part("t", "p1", SCHEMA, [pa.table({"x": [1, 2]}), pa.table({"x": [3]})],
                           "fp-a")
    assert rows == 3
    assert lake.fingerprints("t") == {"p1": "fp-a"}
    assert lake.read_table("t", SCHEMA).column("x").to_pylist() == [1, 2, 3]


def test_a_crash_while_writing_leaves_the_old_part_and_no_temporary_file(tmp_path):
    lake = Lake(str(tmp_path))
    lake.write_part("t", "p1", SCHEMA, [pa.table({"x": [1]})], "old")

    def exploding():
        yield pa.table({"x": [7]})
        raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        lake.write_part("t", "p1", SCHEMA, exploding(), "new")
    assert lake.fingerprints("t") == {"p1": "old"}
    assert lake.read_table("t", SCHEMA).column("x").to_pylist() == [1]
    assert [p.name for p in (tmp_path / "t").iterdir()] == ["p1.parquet"]


def _numbers(job: PartJob, refused: list[dict]):
    n = int(job.part[1:])
    if n == 13:
        refused.append({"source_id": job.part, "landing_path": None, "line_no": None,
                        "reason": "unlucky", "excerpt": None})
        return
    yield {"x": n}


def test_sync_recomputes_only_changed_parts_and_drops_removed_ones(tmp_path):
    lake_uri, q_uri = str(tmp_path / "lake"), str(tmp_path / "q")
    table = NUMBERS
    first = sync_table(lake_uri, q_uri, table, {"p1": "a", "p2": "a", "p13": "a"}, _numbers)
    assert sorted(first.computed) == ["p1", "p13", "p2"] and first.quarantined == 1
    again = sync_table(lake_uri, q_uri, table, {"p1": "a", "p2": "a", "p13": "a"}, _numbers)
    assert again.computed == [] and again.unchanged == 3
    changed = sync_table(lake_uri, q_uri, table, {"p1": "b", "p13": "a"}, _numbers)
    assert changed.computed == ["p1"] and changed.deleted == ["p2"]
    assert sorted(Lake(lake_uri).read_table("numbers", table.arrow_schema)
                  .column("x").to_pylist()) == [1]
    assert Lake(q_uri).read_table("numbers", QUARANTINE.arrow_schema).column(
        "reason").to_pylist() == ["unlucky"]


PAIRS = Table("pairs", "core", "", ("x",), (Column("x", pa.int64(), "a number"),
                                            Column("name", pa.string(), "its name")))


def test_rows_as_tuples_of_the_columns_are_written_as_rows_as_dicts_are(tmp_path):
    lake_uri, q_uri = str(tmp_path / "lake"), str(tmp_path / "q")

    def rows(job, refused):
        values = [(i, None if i == 2 else f"n{i}") for i in range(2500)]
        return values if job.part == "tuples" else ({"x": x, "name": n} for x, n in values)

    sync_table(lake_uri, q_uri, PAIRS, {"dicts": "a", "tuples": "a"}, rows)
    lake = Lake(lake_uri)
    tuples, dicts = ([row for b in lake.read_part("pairs", part) for row in b.to_pylist()]
                     for part in ("tuples", "dicts"))
    assert tuples == dicts
    assert len(tuples) == 2500 and tuples[2] == {"x": 2, "name": None}
    named = next(lake.read_part("pairs", "tuples", columns=["name"]))
    assert named.schema.names == ["name"] and named.column(0).to_pylist()[:3] == ["n0", "n1", None]
    with pytest.raises(ValueError):  # a tuple short of a column is an error, not a shift
        sync_table(lake_uri, q_uri, PAIRS, {"t": "b"}, lambda job, refused: [(1, "a"), (2,)])


def test_a_part_damaged_inside_is_named_in_a_one_line_error(tmp_path):
    lake = Lake(str(tmp_path))
    lake.write_part("t", "p1", pa.schema([pa.field("s", pa.string())]),
                    [pa.table({"s": ["abc" * 1000] * 100})], "fp")
    path = tmp_path / "t" / "p1.parquet"
    data = bytearray(path.read_bytes())
    data[4:200] = b"\xff" * 196  # the first page's header; the footer is intact
    path.write_bytes(bytes(data))
    assert lake.fingerprints("t") == {"p1": "fp"}
    with pytest.raises(OSError) as raised:
        list(lake.read_part("t", "p1"))
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)


def test_a_part_whose_footer_cannot_be_read_is_damaged_and_computed_again(tmp_path):
    lake_uri, q_uri = str(tmp_path / "lake"), str(tmp_path / "q")
    sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p2": "a"}, _numbers)
    part = tmp_path / "lake" / "numbers" / "p1.parquet"
    part.write_bytes(part.read_bytes()[:-20])
    assert Lake(lake_uri).fingerprints("numbers")["p1"] == DAMAGED
    again = sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p2": "a"}, _numbers)
    assert again.computed == ["p1"]
    assert sorted(Lake(lake_uri).read_table("numbers", NUMBERS.arrow_schema)
                  .column("x").to_pylist()) == [1, 2]


@pytest.mark.parametrize("damage", ["deleted", "truncated", "stray"])
def test_refusals_missing_damaged_or_stray_in_quarantine_are_computed_again(tmp_path, damage):
    lake_uri, q_uri = str(tmp_path / "lake"), str(tmp_path / "q")
    sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p13": "a"}, _numbers)
    refusals = tmp_path / "q" / "numbers" / "p13.parquet"
    if damage == "deleted":
        refusals.unlink()
    elif damage == "truncated":
        refusals.write_bytes(refusals.read_bytes()[:-20])
    else:  # refusals of a part that has none
        (tmp_path / "q" / "numbers" / "p1.parquet").write_bytes(refusals.read_bytes())
    again = sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p13": "a"}, _numbers)
    assert again.computed == (["p1"] if damage == "stray" else ["p13"])
    assert Lake(q_uri).read_table("numbers", QUARANTINE.arrow_schema).column(
        "reason").to_pylist() == ["unlucky"]


def _footer_reads(monkeypatch) -> list[str]:
    """The part footers a Lake reads from now on (what a manifest is there to save)."""
    reads: list[str] = []
    original = Lake._read_footer

    def counting(self, path):
        reads.append(path.rsplit("/", 1)[1])
        return original(self, path)

    monkeypatch.setattr(Lake, "_read_footer", counting)
    return reads


def test_after_a_sync_the_manifest_says_every_footer_without_reading_one(tmp_path, monkeypatch):
    lake_uri, q_uri = str(tmp_path / "lake"), str(tmp_path / "q")
    sync_table(lake_uri, q_uri, NUMBERS, {f"p{n}": "a" for n in range(1, 15)}, _numbers)
    reads = _footer_reads(monkeypatch)
    catalog = Lake(lake_uri).catalog("numbers")
    assert reads == [] and not catalog.stale
    assert {p: e.footer.fingerprint for p, e in catalog.entries.items()} == {
        f"p{n}": "a" for n in range(1, 15)}
    assert catalog.entries["p13"].footer.quarantined == 1  # an empty part, its record refused
    assert Lake(lake_uri).row_count("numbers") == 13
    assert Lake(q_uri).fingerprints("numbers") == {"p13": "a"} and reads == []
    again = sync_table(lake_uri, q_uri, NUMBERS, {f"p{n}": "a" for n in range(1, 15)}, _numbers)
    assert again.computed == [] and reads == []


def test_a_part_rewritten_behind_the_manifest_is_read_from_its_footer(tmp_path, monkeypatch):
    lake_uri, q_uri = str(tmp_path / "lake"), str(tmp_path / "q")
    sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p2": "a"}, _numbers)
    Lake(lake_uri).write_part("numbers", "p2", NUMBERS.arrow_schema,
                              [pa.table({"x": [2, 2]})], "written-elsewhere")
    reads = _footer_reads(monkeypatch)
    assert Lake(lake_uri).fingerprints("numbers") == {"p1": "a", "p2": "written-elsewhere"}
    assert reads == ["p2.parquet"]
    assert sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p2": "a"}, _numbers).computed == [
        "p2"]


@pytest.mark.parametrize("damage", ["deleted", "garbage", "a part missing"])
def test_a_missing_or_damaged_manifest_costs_only_footer_reads(tmp_path, monkeypatch, damage):
    lake_uri, q_uri = str(tmp_path / "lake"), str(tmp_path / "q")
    sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p2": "a"}, _numbers)
    manifest = tmp_path / "lake" / "numbers" / "_manifest.json"
    if damage == "deleted":
        manifest.unlink()
    elif damage == "garbage":
        manifest.write_text("{not json", encoding="utf-8")
    else:
        (tmp_path / "lake" / "numbers" / "p2.parquet").unlink()
    reads = _footer_reads(monkeypatch)
    catalog = Lake(lake_uri).catalog("numbers")
    assert catalog.stale
    expected = {"p1": "a"} if damage == "a part missing" else {"p1": "a", "p2": "a"}
    assert {p: e.footer.fingerprint for p, e in catalog.entries.items()} == expected
    # the next sync puts the manifest right, and the one after reads no footer
    sync_table(lake_uri, q_uri, NUMBERS, {"p1": "a", "p2": "a"}, _numbers)
    reads.clear()
    assert not Lake(lake_uri).catalog("numbers").stale and reads == []
