"""Small JSON files a run keeps to save time (landed files' hashes, checks' last results).

Losing or damaging one only costs the work it saved, so a reader treats a missing or broken
file as empty; a writer replaces it whole by one rename, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path


def read_state(path: Path) -> dict:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def write_state(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    try:
        tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
