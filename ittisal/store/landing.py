"""The landing contract: which files are read, how a record is identified, what is refused.

`*.txt` and `*.html` files are one record each, identified by their path relative to
`landing/`; `*.jsonl` feeds hold one JSON object a line, identified by the feed's path and the
line's `id`. Anything that cannot be read becomes a `Rejected` record with a reason instead of
stopping the run. Size limits keep memory bounded whatever lands: a page larger than
`MAX_PAGE_BYTES` or a feed line longer than `MAX_LINE_BYTES` is refused unread (a news article
is tens of kilobytes; these are dumps, not articles), and feeds are read line by line.

A file is opened before it is judged, never by a name checked earlier: every folder on the way
and the file itself are opened without following symlinks, and what was opened is checked
through its descriptor. Its records are built from one read of its bytes, and the hash of
those bytes is what its part is saved under.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    # how many landed paths share this file's inode: a file with more links than that has one
    # outside landing/ (any file on the disk can be hard-linked in), and is not read
    links: int = field(default=1, compare=False)

    @property
    def format(self) -> str | None:
        return FORMATS.get(self.path.suffix.lower())

    @property
    def part(self) -> str:
        """Name of the lake part holding this file's records (stable across runs)."""
        return hashlib.sha1(self.relpath.encode("utf-8", "surrogateescape")).hexdigest()[:20]

    def identity(self, info: os.stat_result | None = None) -> str:
        """What the file holds: the SHA-256 of its bytes, or why it has none to read."""
        return self.identity_and_lines(info)[0]

    def identity_and_lines(self, info: os.stat_result | None = None) -> tuple[str, int]:
        """The identity, and how many lines the bytes hold (what cuts a feed into batches),
        from one read."""
        try:
            info = info or os.stat(self.path)
            if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
                return f"special:{info.st_mode}", 0
            if info.st_nlink > self.links:  # refused unread; re-read once the link is gone
                return f"linked-outside:{info.st_nlink}", 0
            digest, lines, last = hashlib.sha256(), 0, b"\n"
            with open(self.path, "rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
                    lines += chunk.count(b"\n")
                    last = chunk[-1:]
            return digest.hexdigest(), lines + (last != b"\n")
        except OSError as exc:
            return f"unreadable:{exc.errno}", 0

    def fingerprint(self, version: str, identity: str | None = None) -> str:
        """Content identity plus pipeline version: a part is recomputed when either changes."""
        return hashlib.sha256(f"{version}:{identity or self.identity()}".encode()).hexdigest()


# A table's part holds the records of one landed file, or one batch of a big file's records:
# its name is the file's part name, alone or followed by BATCH_SEP and the batch's number.
# Whatever is scoped by landed file (a partition, a deletion) finds the file from any part.
BATCH_SEP = "."


def file_part(part: str) -> str:
    """The part name of the landed file whose records `part` holds."""
    return part.split(BATCH_SEP, 1)[0]


def batch_part(part: str, k: int) -> str:
    """The part of batch `k` of the feed whose part is `part`."""
    return f"{part}{BATCH_SEP}{k}"


def batch_number(part: str) -> int | None:
    """Which batch of its feed a part holds; None for a whole file's part."""
    return int(part.split(BATCH_SEP, 1)[1]) if BATCH_SEP in part else None


def batch_lines(part: str, batch_records: int) -> range | None:
    """The feed line numbers (from 1) a batch part holds; None for a whole file's part."""
    k = batch_number(part)
    return None if k is None else range(k * batch_records + 1, (k + 1) * batch_records + 1)


def batch_fingerprint(fingerprint: str, part: str, batch_records: int) -> str:
    """A batch's fingerprint: its file's, its number and the batch size (a changed size
    moves every batch's lines, so every batch is computed again)."""
    k = batch_number(part)
    if k is None:
        return fingerprint
    return hashlib.sha256(f"{fingerprint}:batch {k} of {batch_records}".encode()).hexdigest()


# a file modified (or its inode changed) this recently may change again within the clock's
# resolution without its size or times moving: its hash is never remembered (git's "racy
# clean" rule)
RACY_SECONDS = 2.0


def fingerprints(files: list[LandedFile], version: str, cache: Path | None = None,
                 batch_records: int | None = None) -> dict[str, str]:
    """Part name → fingerprint for every landed file, or for every batch of `batch_records`
    lines of a feed longer than that (so that the workers share one big feed). With a
    `cache` file, a file whose size, times and inode are those of the last call is not read
    again: a run or a sensor tick over a large, mostly unchanged landing costs a `stat` per
    file instead of reading every byte."""
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
        identity, lines = _cached_identity(known.get(f.relpath), key) or (
            f.identity_and_lines(info))
        if stat.S_ISREG(info.st_mode) and not identity.startswith("unreadable:") and (
                now - max(info.st_mtime, info.st_ctime) > RACY_SECONDS):
            remembered[f.relpath] = [key, identity, lines]
        fingerprint = f.fingerprint(version, identity)
        if batch_records and f.format == "jsonl" and lines > batch_records:
            for k in range(-(-lines // batch_records)):
                part = batch_part(f.part, k)
                out[part] = batch_fingerprint(fingerprint, part, batch_records)
        else:
            out[f.part] = fingerprint
    if cache and remembered != known:
        write_state(cache, remembered)
    return out


def _cached_identity(entry: object, key: list[int]) -> tuple[str, int] | None:
    """The identity and line count remembered for a file whose stat is still `key`; None
    for anything else, a cache entry of the wrong shape included (the file is read again
    and the entry rewritten: a damaged cache costs time, never a run)."""
    if (isinstance(entry, list) and len(entry) == 3 and entry[0] == key
            and isinstance(entry[1], str) and entry[1] and isinstance(entry[2], int)):
        return entry[1], entry[2]
    return None


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
    """Every path under `landing/`, sorted by path: each file, and as one entry each a hidden
    file or folder, a symlink to a folder and a folder that cannot be listed, which
    `read_records` refuses on purpose, so that every landed path is accounted for. Folders
    are walked without following symlinks."""
    if not landing.is_dir():
        return []
    paths: list[Path] = []

    def unlisted(exc: OSError) -> None:
        if exc.filename and Path(exc.filename) != landing:
            paths.append(Path(exc.filename))

    for top, dirs, names in os.walk(landing, onerror=unlisted):
        for name in list(dirs):
            if name.startswith(".") or os.path.islink(os.path.join(top, name)):
                dirs.remove(name)
                paths.append(Path(top, name))
        paths += [Path(top, name) for name in names]
    inodes: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            info = os.stat(path)
            inodes.append((info.st_dev, info.st_ino))
        except OSError:
            inodes.append(None)
    regular = Counter(inode for path, inode in zip(paths, inodes, strict=True)
                      if inode and not path.is_symlink())
    files = [LandedFile(path, path.relative_to(landing).as_posix(), max(regular[inode], 1)
                        if inode else 1) for path, inode in zip(paths, inodes, strict=True)]
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


@dataclass
class BytesRead:
    """What `read_records` read: the SHA-256 of the bytes its records were built from (None
    when the file was judged without reading its content, by its name, kind or size)."""

    sha256: str | None = None


def read_records(landed: LandedFile, landing: Path, read: BytesRead | None = None,
                 lines: range | None = None) -> Iterator[RawRecord | Rejected]:
    """The records of one landed file, in order, or of the feed `lines` of one batch; never
    raises: whatever a file or a record raises makes it a `Rejected` with the reason."""
    read = read if read is not None else BytesRead()
    try:
        yield from _records(landed, landing, read, lines)
    except Exception as exc:  # noqa: BLE001 - one file must not stop the run
        yield _reject(landed, f"could not be read: {_error(exc)}")


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _records(landed: LandedFile, landing: Path, read: BytesRead, lines: range | None = None
             ) -> Iterator[RawRecord | Rejected]:
    reject = partial(_reject, landed)
    if recorded_path(landed.relpath) != landed.relpath:
        name = recorded_path(landed.relpath)
        yield Rejected(name, name, None, "file name is not valid UTF-8", "")
        return
    try:
        info = os.lstat(landed.path)
    except OSError as exc:
        yield reject(f"unreadable file: {exc.strerror or exc}")
        return
    if any(part.startswith(".") for part in landed.relpath.split("/")):
        kind = "folder" if stat.S_ISDIR(info.st_mode) else "file"
        yield reject(f"hidden {kind} skipped on purpose" + (
            " (its files are not read)" if kind == "folder" else ""))
        return
    if stat.S_ISDIR(info.st_mode):
        yield reject("a folder that could not be listed")
        return
    target = landed.relpath
    if stat.S_ISLNK(info.st_mode):
        target = _link_target(landed, landing)
        if target is None:
            yield reject("symlink points outside landing/")
            return
        if os.path.isdir(landed.path):
            yield reject("symlink to a folder: not followed")
            return
    if landed.format is None:
        yield reject(f"unsupported file type {landed.path.suffix!r}: expected .txt, .html or "
                     ".jsonl")
        return
    try:
        fd = open_inside(landing, target)
    except OSError as exc:
        yield reject("a symlink on the way (a chain or loop of links, or a folder that became "
                     "a link): not followed"
                     if exc.errno == errno.ELOOP else f"unreadable file: {exc.strerror or exc}")
        return
    with os.fdopen(fd, "rb") as f:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            yield reject("not a regular file (a FIFO, socket or device)")
            return
        if opened.st_nlink > landed.links:
            yield reject(f"hard link to a file with {opened.st_nlink} links, "
                         f"{landed.links} of them in landing/: the others may be any file on "
                         "the disk; land a copy instead")
            return
        if landed.format == "jsonl":
            yield from _read_feed(landed, f, read, lines)
            return
        if opened.st_size > MAX_PAGE_BYTES:
            yield reject(f"too large for one article: {opened.st_size:,} bytes (limit "
                         f"{MAX_PAGE_BYTES:,}); split it or land it as a .jsonl feed")
            return
        data = f.read(MAX_PAGE_BYTES + 1)
    read.sha256 = hashlib.sha256(data).hexdigest()
    try:
        decoded = decode_bytes(data)
    except UndecodableError as exc:
        yield reject(exc.reason, data)
        return
    yield RawRecord(landed.relpath, landed.relpath, None, landed.format, data,
                    decoded.encoding, decoded.text)


def _link_target(landed: LandedFile, landing: Path) -> str | None:
    """The path under `landing/` a symlink names, read from the link itself (not resolved,
    so a link is followed one step and only inside landing/), or None when it leads out."""
    target = os.readlink(landed.path)
    if os.path.isabs(target):
        for root in (landing.absolute(), landing.resolve()):
            if Path(target).is_relative_to(root):
                target = os.path.relpath(target, root)
                break
        else:
            return None
    else:
        target = os.path.join(os.path.dirname(landed.relpath), target)
    target = os.path.normpath(target)
    if target == "." or target == ".." or target.startswith("../"):
        return None
    return target


def open_inside(landing: Path, relpath: str) -> int:
    """A read-only descriptor of `relpath` under `landing/`, every folder on the way and the
    file itself opened without following a symlink: a folder swapped for a symlink after it
    was checked fails here instead of leading out of landing/. Non-blocking, so that opening
    a FIFO returns at once (it is refused by its `fstat`)."""
    *folders, name = relpath.split("/")
    fd = os.open(landing, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for folder in folders:
            inner = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)


class _HashingReader:
    """A binary file whose every byte read also goes into a SHA-256."""

    def __init__(self, f) -> None:
        self._f = f
        self.digest = hashlib.sha256()

    def readline(self, size: int = -1) -> bytes:
        line = self._f.readline(size)
        self.digest.update(line)
        return line


def _read_feed(landed: LandedFile, f, read: BytesRead, lines: range | None = None
               ) -> Iterator[RawRecord | Rejected]:
    """A feed's records, or one batch's (`lines`): the lines before the batch are read for
    their ids (a duplicate of an earlier batch's id is refused here too), the lines after it
    only hashed, so that the part is saved under what the whole file held."""
    seen: dict[str, tuple[int, str]] = {}
    reader = _HashingReader(f)
    for line_no, raw, size in bounded_lines(reader):
        if lines is not None and line_no >= lines.stop:
            continue
        mine = lines is None or line_no in lines
        where = f"{landed.relpath}#L{line_no}"
        if raw is None:
            if mine:
                yield Rejected(where, landed.relpath, line_no, f"feed line too long: {size:,} "
                               f"bytes (limit {MAX_LINE_BYTES:,})", "")
            continue
        if not raw.strip():
            continue
        try:
            record = _feed_record(raw)
            if not isinstance(record, str):
                record = _feed_raw_record(landed, line_no, record, seen)
        except Exception as exc:  # noqa: BLE001 - one line must not stop the feed
            record = f"feed line could not be read: {_error(exc)}"
        if not mine:
            continue
        if isinstance(record, str):
            yield Rejected(where, landed.relpath, line_no, record, _excerpt(raw))
        else:
            yield record
    read.sha256 = reader.digest.hexdigest()


def _feed_raw_record(landed: LandedFile, line_no: int, record: dict,
                     seen: dict[str, tuple[int, str]]) -> RawRecord | str:
    """The record of a feed line's object, or why it is refused (an id seen before)."""
    record_id = str(record["id"])
    # a feed's ids are unique within the feed only: the same feed landed twice, or two
    # feeds sharing ids, must not collide (their events still count once: see events)
    source_id = f"{landed.relpath}#{record_id}"
    text = record["text"]
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if record_id in seen:
        first_line, first_digest = seen[record_id]
        same = "the same" if first_digest == digest else "a different"
        return f"duplicate id {record_id!r} (first on line {first_line}, {same} text)"
    seen[record_id] = (line_no, digest)
    return RawRecord(
        source_id, landed.relpath, line_no, "jsonl", text.encode("utf-8", "surrogatepass"),
        "utf-8", text, _opt_str(record.get("title")), _opt_str(record.get("published")),
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
    except (ValueError, RecursionError) as exc:  # too deep, or an integer over Python's limit
        return f"feed line is not readable JSON: {_error(exc)}"
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
