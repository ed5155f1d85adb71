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

SHINGLE_WORDS = 5
SAMPLE = 4

# letters and digits of the matching form; punctuation and spacing changes don't count
_WORD = re.compile(r"\w+")


def shingle_hash(words: list[str]) -> int:
    """A stable 64-bit signed hash of a run of words (Python's `hash` changes per process)."""
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def text_fingerprints(matching_text: str) -> list[int]:
    """The sampled 5-gram hashes of a text in matching form, sorted and without repeats.

    A text shorter than five words has none: it cannot be told apart from a common phrase.
    """
    words = _WORD.findall(matching_text)
    kept = set()
    for i in range(len(words) - SHINGLE_WORDS + 1):
        h = shingle_hash(words[i:i + SHINGLE_WORDS])
        if h % SAMPLE == 0:
            kept.add(h)
    return sorted(kept)
