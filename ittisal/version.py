"""A fingerprint of the code and dictionaries that produce the tables.

It enters every part's fingerprint, so changing a rule or a dictionary entry makes the next
run recompute what it affects; nothing has to be cleaned up by hand.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).parent


@cache
def pipeline_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".csv", ".json", ".tsv"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
