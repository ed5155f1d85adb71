"""Publication dates for articles that carry none, from agreement with dated reports.

A scraped page often says «اليوم الأحد» and nothing else. If the same contact (type and
participants) is dated by another article, the undated article's day follows — provided every
weekday it names agrees. Inferred dates feed further inferences, so this runs to a fixed point.
Only a single consistent candidate is accepted: an ambiguous article stays undated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MentionDating:
    article_id: str
    event_type: str
    countries: tuple[str, ...]
    event_date: dt.date | None
    date_offset: int | None  # days before publication the text implies
    date_weekday: int | None  # weekday the text names, 0 = Monday


def infer_publication_dates(
    published: dict[str, dt.date | None], mentions: Iterable[MentionDating]
) -> dict[str, tuple[dt.date, str]]:
    """Article id → (inferred publication date, basis) for undated articles that agree."""
    by_article: dict[str, list[MentionDating]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    dated: dict[tuple[str, tuple[str, ...]], set[tuple[dt.date, str]]] = defaultdict(set)

    def add_dates(article: str, day: dt.date | None) -> None:
        for m in by_article[article]:
            when = m.event_date or (day - dt.timedelta(m.date_offset)
                                    if day and m.date_offset is not None else None)
            if when:
                dated[(m.event_type, m.countries)].add((when, article))

    for article, day in published.items():
        add_dates(article, day)
    inferred: dict[str, tuple[dt.date, str]] = {}
    pending = sorted(a for a in by_article if published.get(a) is None)
    changed = True
    while changed:
        changed = False
        for article in pending:
            if article in inferred:
                continue
            found = _candidate(by_article[article], dated, article)
            if found:
                inferred[article] = found
                add_dates(article, found[0])
                changed = True
    return inferred


def _candidate(mentions: list[MentionDating], dated, article: str
               ) -> tuple[dt.date, str] | None:
    support: dict[dt.date, set[str]] = defaultdict(set)
    for m in mentions:
        if m.date_offset is None or m.event_date is not None:
            continue
        for when, other in dated.get((m.event_type, m.countries), ()):
            if other != article:
                support[when + dt.timedelta(m.date_offset)].add(other)
    consistent = [
        day for day in support
        if all((day - dt.timedelta(m.date_offset)).weekday() == m.date_weekday
               for m in mentions if m.date_weekday is not None and m.date_offset is not None)
    ]
    if len(consistent) != 1:
        return None
    day = consistent[0]
    return day, f"inferred: reports the same contact as {', '.join(sorted(support[day]))}"
