"""Landing from an object-store prefix: its objects brought into the local landing folder.

The landing contract reads a local folder with the OS's own calls (descriptors opened without
following links, hard links refused), so an object-store landing
(`ITTISAL_LANDING_SOURCE=s3://bucket/landing`) is mirrored into `landing/` before a run or a
sensor tick reads it: an object new or changed since the last mirror (size or time) is
downloaded beside its target and renamed over it, so a reader never sees half a file; a file
the mirror brought whose object is gone is removed; files landed in the folder by hand are
left alone, unless an object names the same path (the bucket's object then wins). What the
folder then holds goes through the same contract as any landed file.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyarrow.fs as pafs

from ittisal.settings import Settings
from ittisal.store.state import read_state, write_state

# a download in progress: hidden, so a reader that meets one refuses it as a hidden file, and
# the next mirror removes it
_PARTIAL = ".ittisal-mirror-"
_CHUNK = 1 << 20


@dataclass
class MirrorReport:
    copied: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # keys that name no path inside landing/
    left: int = 0  # objects not copied yet: the time given ran out (the next mirror goes on)


def _relative(key: str, root: str) -> str | None:
    """The landing path of an object key, or None for one that would leave `landing/` or
    names a folder marker."""
    raw = key[len(root):].lstrip("/") if root and key.startswith(root) else key
    parts = raw.split("/")
    if not raw or any(p in ("", ".", "..") for p in parts):
        return None  # «a//b» would collide with «a/b»; «..» and a folder marker lead nowhere
    return PurePosixPath(*parts).as_posix()


def mirror(source: str, landing: Path, state: Path, seconds: float | None = None
           ) -> MirrorReport:
    """Make the files `landing` holds from `source` those of its objects now; `state` keeps
    what each copied object was (size, time), so an unchanged object is not read again. With
    `seconds`, no download starts after that long (a sensor tick has a time limit): what is
    left is counted, and the next mirror copies it."""
    deadline = None if seconds is None else time.monotonic() + seconds
    fs, root = pafs.FileSystem.from_uri(source)
    root = root.rstrip("/")
    report = MirrorReport()
    landing.mkdir(parents=True, exist_ok=True)
    for leftover in landing.rglob(f"{_PARTIAL}*"):  # what a killed mirror left
        leftover.unlink(missing_ok=True)
    known = read_state(state)
    objects: dict[str, list[int]] = {}  # what the mirror's files are copies of, after this call
    remote: set[str] = set()
    selector = pafs.FileSelector(root, recursive=True, allow_not_found=True)
    for info in sorted(fs.get_file_info(selector), key=lambda i: i.path):
        if info.type != pafs.FileType.File:
            continue
        rel = _relative(info.path, root)
        if rel is None:
            report.refused.append(info.path)
            continue
        stamp = [info.size, info.mtime_ns or 0]
        remote.add(rel)
        target = landing / rel
        if known.get(rel) == stamp and target.is_file():
            objects[rel] = stamp
            continue
        if deadline is not None and time.monotonic() > deadline:
            report.left += 1
            if rel in known:
                objects[rel] = known[rel]  # still the mirror's file, copied again next time
            continue
        _download(fs, info.path, target)
        objects[rel] = stamp
        report.copied.append(rel)
    for rel in sorted(set(known) - remote):
        (landing / rel).unlink(missing_ok=True)
        report.removed.append(rel)
    if objects != known:
        write_state(state, objects)
    return report


def _download(fs: pafs.FileSystem, path: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{_PARTIAL}{uuid.uuid4().hex}")
    try:
        with fs.open_input_stream(path) as src, open(partial, "wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def bring_in(settings: Settings, seconds: float | None = None) -> MirrorReport | None:
    """Mirror `settings.landing_source` into the landing folder, when there is one."""
    if not settings.landing_source:
        return None
    return mirror(settings.landing_source, settings.landing,
                  settings.state / "landing-source.json", seconds)
