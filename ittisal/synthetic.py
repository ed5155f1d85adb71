"""Realistic article streams of any size, for measuring speed (never accuracy).

Articles are assembled from the paragraphs of real corpus articles: a real title, real body
paragraphs in a random order until about 3 KB, a random publication date, and with some
probability the things scraped pages carry — a related-headline list, a comment form, Persian
letters in Arabic words — and other countries swapped in for the demonyms.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

DEMONYMS = ["العراقي", "التركي", "السوري", "المصري", "الأردني", "السعودي", "الإماراتي",
            "القطري", "الإيراني", "الروسي", "الفرنسي", "الألماني", "الأمريكي", "اللبناني"]
ARTICLE_CHARS = 3000


def corpus_paragraphs(corpus: Path) -> tuple[list[str], list[str]]:
    """(titles, body paragraphs) of the dev feed and the seed pages under `corpus`."""
    titles, paragraphs = [], []
    feed = corpus / "dev" / "articles.jsonl"
    if feed.exists():
        for line in feed.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            head, _, body = record["text"].partition("\n\n")
            titles.append(head)
            paragraphs += [p for p in body.splitlines() if len(p) > 40]
    for path in sorted(corpus.glob("**/*.txt")):
        lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        titles.append(lines[0])
        paragraphs += [p for p in lines[1:] if len(p) > 80]
    if not paragraphs:
        raise FileNotFoundError(f"no corpus articles under {corpus}")
    return titles, paragraphs


def synthetic_articles(n: int, corpus: Path, seed: int = 0) -> Iterator[dict]:
    """`n` feed records (`id`, `title`, `text`, `published`, `source`), reproducibly."""
    rng = random.Random(seed)
    titles, paragraphs = corpus_paragraphs(corpus)
    start = dt.date(2018, 1, 1)
    for i in range(n):
        body, size = [], 0
        while size < ARTICLE_CHARS:
            p = rng.choice(paragraphs)
            body.append(p)
            size += len(p)
        text = "\n".join(body)
        for old in DEMONYMS:
            if old in text and rng.random() < 0.3:
                text = text.replace(old, rng.choice(DEMONYMS))
        if rng.random() < 0.2:
            text = text.replace("ي", "ی", 3)
        if rng.random() < 0.3:
            text += "\nمقالات مشابهة\n" + "\n".join(f"• {rng.choice(titles)}" for _ in range(5))
        if rng.random() < 0.1:
            text += "\nاترك رد\nلن يتم نشر عنوان بريدك الإلكتروني."
        title = rng.choice(titles)
        yield {
            "id": f"synthetic-{seed}-{i:07d}",
            "title": title,
            "text": f"{title}\n\n{text}",
            "published": (start + dt.timedelta(days=rng.randrange(2900))).isoformat(),
            "source": rng.choice(["sky", "arabiya", "cnn", "f24", "bbc"]),
        }


def write_feeds(target: Path, n: int, corpus: Path, seed: int = 0,
                per_file: int = 1000) -> int:
    """Land `n` synthetic articles under `target` as feeds of `per_file` lines; bytes written."""
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    out = None
    for i, record in enumerate(synthetic_articles(n, corpus, seed)):
        if i % per_file == 0:
            if out:
                out.close()
            out = open(target / f"feed-{seed}-{i // per_file:05d}.jsonl", "w",  # noqa: SIM115
                       encoding="utf-8")
        line = json.dumps(record, ensure_ascii=False) + "\n"
        out.write(line)
        written += len(line.encode())
    if out:
        out.close()
    return written


FEEDS = ("dev/articles.jsonl", "dev2/tune/articles.jsonl", "dev2/check/articles.jsonl")


def long_record(size: int, corpus: Path) -> str:
    """One record of `size` characters: the corpus feeds' articles one after another (again
    from the first when they run out), a blank line between: what a scraper gluing a whole
    archive into one record gives, for measuring how the text stages grow with one text."""
    texts = [json.loads(line)["text"] for name in FEEDS if (corpus / name).exists()
             for line in (corpus / name).read_text(encoding="utf-8").splitlines() if line]
    if not texts:
        raise FileNotFoundError(f"no corpus feeds under {corpus}")
    out: list[str] = []
    total = 0
    while total < size:
        out.append(texts[len(out) % len(texts)])
        total += len(out[-1]) + 2
    return "\n\n".join(out)[:size]
