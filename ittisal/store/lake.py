"""Parquet tables stored as one part per landed file, written atomically.

A part carries the fingerprint of what it was computed from (the landed file's content and
the pipeline version) in its footer, so a stage recomputes exactly the parts whose input
changed and a re-run with nothing new does nothing. A part is written to a temporary name
and renamed into place: a reader sees the old part or the new one, never half of one.

Beside the parts, a table's small manifest (`_manifest.json`) repeats each part's footer with
the size and time the part had when it was recorded: what the lake holds is then one listing
and one read per table, not a footer read per part (in object storage each read is a request,
~78 of them per part before). A part whose size or time differs from its entry, or that has
none, has its footer read as before, so a manifest that is stale, missing or damaged costs
only those reads.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pyarrow.parquet as pq

FINGERPRINT_KEY = b"ittisal.fingerprint"
# how many records computing the part refused: that many wait in its quarantine part
QUARANTINED_KEY = b"ittisal.quarantined"
PART_SUFFIX = ".parquet"
# the fingerprint of a part whose footer cannot be read (truncated, overwritten): it equals
# no input's fingerprint, so the stage owning the part computes it again
DAMAGED = "damaged"


MANIFEST = "_manifest.json"


@dataclass(frozen=True)
class PartFooter:
    """What a part's footer says of it."""

    fingerprint: str
    quarantined: int | None  # None: not recorded (a whole-table part)
    rows: int = 0


@dataclass(frozen=True)
class PartEntry:
    """A finished part as the lake holds it: its footer, and its size and time in a listing."""

    footer: PartFooter
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Catalog:
    """Every finished part of a table; `stale` when the manifest did not say all of it."""

    entries: dict[str, PartEntry]
    stale: bool


class DamagedPartError(OSError):
    """A part that cannot be read, named (pyarrow's own error names no file)."""


@dataclass(frozen=True)
class ParquetFiles:
    """Parquet files on a local disk and the schema they share (used when there are none)."""

    paths: tuple[str, ...]
    schema: pa.Schema


class PartWriter:
    """One part written to a temporary file beside its final name, then renamed into place
    with its fingerprint in the footer, or discarded."""

    def __init__(self, fs: pafs.FileSystem, final: str, schema: pa.Schema) -> None:
        self.fs, self.final, self.schema = fs, final, schema
        self.tmp = f"{final}.tmp-{uuid.uuid4().hex}"
        self.rows = 0
        self._out = fs.open_output_stream(self.tmp)
        self._writer = pq.ParquetWriter(self._out, schema)

    def write(self, batch: pa.RecordBatch | pa.Table) -> None:
        if batch.num_rows:
            table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
            self._writer.write_table(table.cast(self.schema))
            self.rows += batch.num_rows

    def publish(self, fingerprint: str, extra: dict[bytes, bytes] | None = None) -> None:
        self._writer.add_key_value_metadata({FINGERPRINT_KEY: fingerprint.encode(),
                                             **(extra or {})})
        self._writer.close()
        self._out.close()
        self.fs.move(self.tmp, self.final)

    def discard(self) -> None:
        for close in (self._writer.close, self._out.close):
            try:
                close()
            except Exception:  # noqa: BLE001, S110 - the file goes anyway
                pass
        if self.fs.get_file_info(self.tmp).type != pafs.FileType.NotFound:
            self.fs.delete_file(self.tmp)


class Lake:
    """A folder (local or object storage) of tables, each a folder of `<part>.parquet` files."""

    def __init__(self, uri: str) -> None:
        self.fs, self.root = pafs.FileSystem.from_uri(uri)
        self.uri = uri

    def _dir(self, table: str) -> str:
        return f"{self.root}/{table}"

    def part_path(self, table: str, part: str) -> str:
        return f"{self._dir(table)}/{part}{PART_SUFFIX}"

    def _part_files(self, table: str) -> list[pafs.FileInfo]:
        """Finished parts of `table`, sorted by path (temporary files are never listed)."""
        selector = pafs.FileSelector(self._dir(table), allow_not_found=True)
        return sorted((info for info in self.fs.get_file_info(selector)
                       if info.type == pafs.FileType.File
                       and info.base_name.endswith(PART_SUFFIX)), key=lambda i: i.path)

    def part_paths(self, table: str) -> list[str]:
        """Finished parts of `table`, sorted (temporary files are never listed)."""
        return [info.path for info in self._part_files(table)]

    def part_stats(self, table: str) -> dict[str, tuple[int, int]]:
        """Part name → (size, modification time in ns): any rewrite of a part changes them,
        even one that keeps its footer."""
        return {part: (e.size, e.mtime_ns) for part, e in self.catalog(table).entries.items()}

    def _read_manifest(self, table: str) -> dict[str, list]:
        try:
            with self.fs.open_input_stream(f"{self._dir(table)}/{MANIFEST}") as f:
                kept = json.loads(f.read())
        except (pa.ArrowException, OSError, ValueError):
            return {}
        return kept if isinstance(kept, dict) else {}

    def _read_footer(self, path: str) -> PartFooter:
        try:
            with self.fs.open_input_file(path) as f:
                meta = pq.read_metadata(f)
        except (pa.ArrowException, OSError):
            return PartFooter(DAMAGED, None)
        kv = meta.metadata or {}
        count = kv.get(QUARANTINED_KEY)
        return PartFooter(kv.get(FINGERPRINT_KEY, b"").decode(), int(count) if count else None,
                          meta.num_rows)

    def catalog(self, table: str) -> Catalog:
        """Every finished part of `table` with its footer: one listing, the manifest, and the
        footers of the parts the manifest does not describe as they are now."""
        selector = pafs.FileSelector(self._dir(table), allow_not_found=True)
        listed = self.fs.get_file_info(selector)
        kept = (self._read_manifest(table)
                if any(i.base_name == MANIFEST for i in listed) else {})
        entries, stale = {}, False
        for info in sorted(listed, key=lambda i: i.path):
            if info.type != pafs.FileType.File or not info.base_name.endswith(PART_SUFFIX):
                continue
            part = info.base_name[: -len(PART_SUFFIX)]
            size, mtime = info.size, info.mtime_ns or 0
            entry = kept.get(part)
            try:
                fingerprint, quarantined, rows, e_size, e_mtime = entry  # type: ignore[misc]
                if (e_size, e_mtime) != (size, mtime):
                    raise ValueError("rewritten since it was recorded")
                footer = PartFooter(str(fingerprint), quarantined, int(rows))
            except (TypeError, ValueError):
                footer, stale = self._read_footer(info.path), True
            entries[part] = PartEntry(footer, size, mtime)
        return Catalog(entries, stale or set(kept) - set(entries) != set())

    def write_manifest(self, table: str, catalog: Catalog | None = None) -> None:
        """Record `catalog` (default: the table as it is now) as the table's manifest,
        replaced whole; a table with no parts has none. Only for a caller that holds the
        table's lock, once its parts are written."""
        catalog = catalog or self.catalog(table)
        path = f"{self._dir(table)}/{MANIFEST}"
        if not catalog.entries:
            if self.fs.get_file_info(path).type != pafs.FileType.NotFound:
                self.fs.delete_file(path)
            return
        record = {part: [e.footer.fingerprint, e.footer.quarantined, e.footer.rows, e.size,
                         e.mtime_ns] for part, e in catalog.entries.items()}
        tmp = f"{path}.tmp-{uuid.uuid4().hex}"
        with self.fs.open_output_stream(tmp) as out:
            out.write(json.dumps(record, sort_keys=True).encode())
        self.fs.move(tmp, path)

    def footers(self, table: str) -> dict[str, PartFooter]:
        """Part name → what its footer says; a part that cannot be read is `DAMAGED`."""
        return {part: e.footer for part, e in self.catalog(table).entries.items()}

    def fingerprints(self, table: str) -> dict[str, str]:
        """Part name → fingerprint of the input it was computed from."""
        return {part: footer.fingerprint for part, footer in self.footers(table).items()}

    def open_part(self, table: str, part: str, schema: pa.Schema) -> PartWriter:
        """A new part being written under a temporary name; nobody sees it until published."""
        self.fs.create_dir(self._dir(table), recursive=True)
        return PartWriter(self.fs, self.part_path(table, part), schema)

    def write_part(
        self,
        table: str,
        part: str,
        schema: pa.Schema,
        batches: Iterable[pa.RecordBatch | pa.Table],
        fingerprint: str | Callable[[], str],
        trailer: Callable[[], dict[bytes, bytes]] | None = None,
    ) -> int:
        """Stream `batches` into a new part and publish it atomically; returns the row count.
        A callable `fingerprint` is asked once every batch is written (the input's identity
        may only be known once it has been read); `trailer` gives other footer entries known
        only then."""
        writer = self.open_part(table, part, schema)
        try:
            for batch in batches:
                writer.write(batch)
            writer.publish(fingerprint() if callable(fingerprint) else fingerprint,
                           trailer() if trailer else None)
        except BaseException:
            writer.discard()
            raise
        return writer.rows

    def remove_leftovers(self, table: str) -> int:
        """Delete temporary files a killed writer left in `table`; returns how many. Only for
        a caller that holds the table's lock: a live writer's temporary file looks the same."""
        selector = pafs.FileSelector(self._dir(table), allow_not_found=True)
        leftovers = [info.path for info in self.fs.get_file_info(selector)
                     if info.type == pafs.FileType.File and ".tmp-" in info.base_name]
        for path in leftovers:
            self.fs.delete_file(path)
        return len(leftovers)

    def delete_part(self, table: str, part: str) -> None:
        path = self.part_path(table, part)
        if self.fs.get_file_info(path).type != pafs.FileType.NotFound:
            self.fs.delete_file(path)

    def _built(self, table: str, parts: list[str] | None, schema: pa.Schema | None
               ) -> list[str]:
        """The part files to read (all of `table`'s unless given); without files or a schema
        there is nothing to say what the table holds."""
        paths = self.part_paths(table) if parts is None else parts
        if not paths and schema is None:
            raise FileNotFoundError(f"table {table!r} has not been built")
        return paths

    def read_part(self, table: str, part: str, batch_size: int = 2000,
                  columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        """The batches of one part (only `columns`, when given: the others are not even
        decoded); a part that cannot be read is named in the error."""
        path = self.part_path(table, part)
        try:
            with self.fs.open_input_file(path) as f:
                yield from pq.ParquetFile(f).iter_batches(batch_size=batch_size, columns=columns)
        except (pa.ArrowException, OSError) as exc:
            detail = " ".join(str(exc).split())
            raise DamagedPartError(f"cannot read lake part {path}: {detail}") from exc

    def read_table(self, table: str, schema: pa.Schema | None = None,
                   columns: list[str] | None = None, parts: list[str] | None = None
                   ) -> pa.Table:
        """The whole table (all parts, or the part files given) in memory: for tests and small
        tables, not for per-record stages. Without a schema, the table must have been written
        (a model's schema is its SQL's)."""
        paths = self._built(table, parts, schema)
        if not paths:
            empty = schema.empty_table()
            return empty.select(columns) if columns else empty
        return pq.read_table(paths, filesystem=self.fs, schema=schema, columns=columns)

    def dataset(self, table: str, schema: pa.Schema | None = None,
                parts: list[str] | None = None) -> pads.Dataset:
        """All parts of `table` (or the part files given) as one lazily read dataset: a reader
        such as DuckDB pulls only the columns and batches it needs, so memory stays flat
        however large the table grows. Without a schema, the table must have been written."""
        paths = self._built(table, parts, schema)
        return pads.dataset(paths, schema=schema, format="parquet", filesystem=self.fs)

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, pafs.LocalFileSystem)

    def source(self, table: str, schema: pa.Schema | None = None,
               parts: list[str] | None = None) -> ParquetFiles | pads.Dataset:
        """All parts of `table` (or the part files given) for a reader that pulls only what it
        needs: on a local disk the files themselves, which DuckDB reads with its own Parquet
        reader inside its memory limit; in object storage an Arrow dataset over the bucket.
        Without a schema, the table must have been written."""
        paths = self._built(table, parts, schema)
        if not self.is_local:
            return self.dataset(table, schema, paths)
        if schema is None:
            schema = pq.read_schema(paths[0]).remove_metadata()
        return ParquetFiles(tuple(paths), schema)

    def row_count(self, table: str) -> int:
        return sum(e.footer.rows for e in self.catalog(table).entries.values())


def clear_location(uri: str) -> None:
    """Delete everything under a lake or quarantine location, a local folder or an
    object-storage prefix alike (what a full refresh starts from); a missing one is fine."""
    fs, root = pafs.FileSystem.from_uri(uri)
    if fs.get_file_info(root).type == pafs.FileType.NotFound:
        return
    fs.delete_dir_contents(root, missing_dir_ok=True)
