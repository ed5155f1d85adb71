"""Fingerprints of article text, for finding rewrites of one statement across outlets.

Outlets rarely copy a whole agency story: they keep a few sentences of the statement, change
the lead and add their own background. So rewrites are found by the share of *word 5-grams*
two articles have in common, measured against the smaller article (containment), not by
similarity of the whole text: on the shared corpus, rewrites share 22-65% of the shorter
article's 5-grams and unrelated articles at most 8%. Only one 5-gram in `SAMPLE` is kept,
chosen by its hash so that both articles keep the same ones: a sampled shared 5-gram is the
same evidence of copying as all of them, at a quarter of the cost. The grouping itself is
`sql/article_clusters.sql`.
"""

from __future__ import annotations

import hashlib
import re
from hashlib import blake2b

SHINGLE_WORDS = 5
SAMPLE = 4  # a divisor of 256: whether a hash is kept is read from its lowest byte

# letters and digits of the matching form; punctuation and spacing changes don't count
_WORD = re.compile(r"\w+")


def shingle_hash(words: list[str]) -> int:
    """A stable 64-bit signed hash of a run of words (Python's `hash` changes per process)."""
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def text_fingerprints(matching_text: str) -> list[int]:
    """The sampled 5-gram hashes of a text in matching form, sorted and without repeats.

    A text shorter than five words has none: it cannot be told apart from a common phrase.
    Each hash is `shingle_hash` of its five words, taken as a slice of the words joined and
    encoded once (the same bytes `shingle_hash` joins and encodes for each 5-gram).
    """
    words = _WORD.findall(matching_text)
    if len(words) < SHINGLE_WORDS:
        return []
    data = " ".join(words).encode()
    sizes = [len(w.encode()) for w in words]
    starts = [0]
    for size in sizes[:-1]:
        starts.append(starts[-1] + size + 1)
    last = SHINGLE_WORDS - 1
    kept = set()
    for i in range(len(words) - last):
        digest = blake2b(data[starts[i]:starts[i + last] + sizes[i + last]],
                         digest_size=8).digest()
        if digest[0] % SAMPLE == 0:  # the hash's lowest byte decides (SAMPLE divides 256)
            kept.add(int.from_bytes(digest, "little", signed=True))
    return sorted(kept)
