"""The landing contract: which files are read, how a record is identified, what is refused.

`*.txt` and `*.html` files are one record each, identified by their path relative to
`landing/`; `*.jsonl` feeds hold one JSON object a line, identified by the feed's path and the
line's `id`. Anything that cannot be read becomes a `Rejected` record with a reason instead of
stopping the run. Size limits keep memory bounded whatever lands: a page larger than
`MAX_PAGE_BYTES` or a feed line longer than `MAX_LINE_BYTES` is refused unread (a news article
is tens of kilobytes; these are dumps, not articles), and feeds are read line by line.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ittisal.store.state import read_state, write_state
from ittisal.text.decoding import UndecodableError, decode_bytes

FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
EXCERPT_CHARS = 200
MAX_PAGE_BYTES = 20_000_000
MAX_LINE_BYTES = 5_000_000
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LandedFile:
    path: Path
    relpath: str

    @property
    def format(self) -> str | None:
        return FORMATS.get(self.path.suffix.lower())

    @property
    def part(self) -> str:
        """Name of the lake part holding this file's records (stable across runs)."""
        return hashlib.sha1(self.relpath.encode("utf-8", "surrogateescape")).hexdigest()[:20]

    def identity(self, info: os.stat_result | None = None) -> str:
        """What the file holds: the SHA-256 of its bytes, or why it has none to read."""
        try:
            info = info or os.stat(self.path)
            if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
                return f"special:{info.st_mode}"
            digest = hashlib.sha256()
            with open(self.path, "rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
            return digest.hexdigest()
        except OSError as exc:
            return f"unreadable:{exc.errno}"

    def fingerprint(self, version: str, identity: str | None = None) -> str:
        """Content identity plus pipeline version: a part is recomputed when either changes."""
        return hashlib.sha256(f"{version}:{identity or self.identity()}".encode()).hexdigest()


# a file modified (or its inode changed) this recently may change again within the clock's
# resolution without its size or times moving: its hash is never remembered (git's "racy
# clean" rule)
RACY_SECONDS = 2.0


def fingerprints(files: list[LandedFile], version: str, cache: Path | None = None
                 ) -> dict[str, str]:
    """Part name → fingerprint for every landed file. With a `cache` file, a file whose size,
    times and inode are those of the last call is not read again: a run or a sensor tick over
    a large, mostly unchanged landing costs a `stat` per file instead of reading every byte."""
    known = read_state(cache) if cache else {}
    remembered: dict[str, list] = {}
    out = {}
    now = time.time()
    for f in files:
        try:
            info = os.stat(f.path)
        except OSError as exc:
            out[f.part] = f.fingerprint(version, f"unreadable:{exc.errno}")
            continue
        key = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        entry = known.get(f.relpath)
        identity = entry[1] if entry and entry[0] == key else f.identity(info)
        if stat.S_ISREG(info.st_mode) and not identity.startswith("unreadable:") and (
                now - max(info.st_mtime, info.st_ctime) > RACY_SECONDS):
            remembered[f.relpath] = [key, identity]
        out[f.part] = f.fingerprint(version, identity)
    if cache and remembered != known:
        write_state(cache, remembered)
    return out


@dataclass(frozen=True)
class RawRecord:
    source_id: str
    landing_path: str
    line_no: int | None
    format: str
    content: bytes
    encoding: str
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Rejected:
    source_id: str
    landing_path: str
    line_no: int | None
    reason: str
    excerpt: str


def discover(landing: Path) -> list[LandedFile]:
    """Every file under `landing/` (hidden files and folders excepted), sorted by path."""
    if not landing.is_dir():
        return []
    files = []
    for path in landing.rglob("*"):
        rel = path.relative_to(landing)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        files.append(LandedFile(path, rel.as_posix()))
    return sorted(files, key=lambda f: f.relpath)


def recorded_path(relpath: str) -> str:
    """A landed path as the tables record it: file names that are not UTF-8 (Parquet strings
    must be) with their odd bytes escaped, «bad\\xff.txt»."""
    try:
        relpath.encode("utf-8")
    except UnicodeEncodeError:
        return relpath.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return relpath


def _excerpt(data: bytes | str) -> str:
    text = data if isinstance(data, str) else data[: EXCERPT_CHARS * 4].decode("utf-8", "replace")
    return text[:EXCERPT_CHARS].encode("unicode_escape").decode("ascii")


def _reject(landed: LandedFile, reason: str, data: bytes = b"") -> Rejected:
    return Rejected(landed.relpath, landed.relpath, None, reason, _excerpt(data))


def read_records(landed: LandedFile, landing: Path) -> Iterator[RawRecord | Rejected]:
    """The records of one landed file, in order; never raises for bad input."""
    reject = partial(_reject, landed)
    if recorded_path(landed.relpath) != landed.relpath:
        name = recorded_path(landed.relpath)
        yield Rejected(name, name, None, "file name is not valid UTF-8", "")
        return
    if landed.format is None:
        yield reject(f"unsupported file type {landed.path.suffix!r}: expected .txt, .html or "
                     ".jsonl")
        return
    try:
        real = landed.path.resolve(strict=True)
        if not real.is_relative_to(landing.resolve()):
            yield reject("symlink points outside landing/")
            return
        if not stat.S_ISREG(real.stat().st_mode):
            yield reject("not a regular file (a FIFO, socket or device)")
            return
        if landed.format == "jsonl":
            yield from _read_feed(landed, real)
            return
        size = real.stat().st_size
        if size > MAX_PAGE_BYTES:
            yield reject(f"too large for one article: {size:,} bytes (limit "
                         f"{MAX_PAGE_BYTES:,}); split it or land it as a .jsonl feed")
            return
        data = real.read_bytes()
    except OSError as exc:
        yield reject(f"unreadable file: {exc.strerror or exc}")
        return
    try:
        decoded = decode_bytes(data)
    except UndecodableError as exc:
        yield reject(exc.reason, data)
        return
    yield RawRecord(landed.relpath, landed.relpath, None, landed.format, data,
                    decoded.encoding, decoded.text)


def _read_feed(landed: LandedFile, real: Path) -> Iterator[RawRecord | Rejected]:
    seen: dict[str, tuple[int, str]] = {}
    with open(real, "rb") as f:
        for line_no, raw, size in bounded_lines(f):
            where = f"{landed.relpath}#L{line_no}"
            if raw is None:
                yield Rejected(where, landed.relpath, line_no,
                               f"feed line too long: {size:,} bytes (limit {MAX_LINE_BYTES:,})",
                               "")
                continue
            if not raw.strip():
                continue
            record = _feed_record(raw)
            if isinstance(record, str):
                yield Rejected(where, landed.relpath, line_no, record, _excerpt(raw))
                continue
            record_id = str(record["id"])
            # a feed's ids are unique within the feed only: the same feed landed twice, or two
            # feeds sharing ids, must not collide (their events still count once: see events)
            source_id = f"{landed.relpath}#{record_id}"
            text = record["text"]
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            if record_id in seen:
                first_line, first_digest = seen[record_id]
                same = "the same" if first_digest == digest else "a different"
                yield Rejected(where, landed.relpath, line_no,
                               f"duplicate id {record_id!r} (first on line {first_line}, "
                               f"{same} text)", _excerpt(raw))
                continue
            seen[record_id] = (line_no, digest)
            yield RawRecord(
                source_id, landed.relpath, line_no, "jsonl",
                text.encode("utf-8", "surrogatepass"), "utf-8", text,
                _opt_str(record.get("title")), _opt_str(record.get("published")),
                _opt_str(record.get("source")), _opt_str(record.get("url")),
            )


def bounded_lines(f) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line, size) of a binary file; a line over MAX_LINE_BYTES is skipped
    without being held in memory and comes as (number, None, its size)."""
    line_no = 0
    while True:
        line = f.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        line_no += 1
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line_no, line, len(line)
            continue
        size = len(line)
        while chunk := f.readline(_CHUNK):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield line_no, None, size


def _feed_record(raw: bytes) -> dict | str:
    """The JSON object of a feed line, or the reason it is refused."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"feed line is not UTF-8 (byte {exc.start})"
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"feed line is not JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(obj, dict):
        return f"feed line is a JSON {type(obj).__name__}, not an object"
    if not isinstance(obj.get("id"), str | int) or isinstance(obj.get("id"), bool):
        return "feed record has no string or integer `id`"
    if not isinstance(obj.get("text"), str):
        return "feed record has no string `text`"
    if not obj["text"].strip():
        return "feed record has an empty `text`"
    for key in ("id", "text", "title", "published", "source", "url"):
        value = obj.get(key)
        try:
            if isinstance(value, str):
                value.encode("utf-8")
        except UnicodeEncodeError as exc:  # JSON allows "\ud800"; Parquet strings do not
            return f"feed record `{key}` is not valid Unicode: lone surrogate at {exc.start}"
    return obj


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
