"""`article_dates`: the publication date of every article, inferred where the feed gave none.

The query that picks the candidate mentions runs in DuckDB over the lake; the rule that dates
an article from them is pure Python in `ittisal.events.inference`.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from ittisal.events.inference import MentionDating, infer_publication_dates
from ittisal.store.sqlmodels import ArrowInput, bind


def article_dates(con: duckdb.DuckDBPyConnection, articles: ArrowInput, mentions: ArrowInput,
                  batch_rows: int = 50_000) -> tuple[pa.RecordBatchReader, int]:
    """Rows of `article_dates` (sorted by article_id) from `cleaned_articles` and
    `event_mentions`, streamed through DuckDB, and how many dates were inferred. Only the
    mentions that can date an undated article reach Python: those of a contact (type and
    participants) some undated article reports; a year of feeds with dates loads almost
    none."""
    bind(con, "_articles", articles)
    bind(con, "_mentions", mentions)
    con.execute("""
        create or replace temp table _candidates as
        with foreground as (
            select article_id, event_type, countries, event_date, date_offset, date_weekday
            from _mentions where not background
        ),
        undated_contacts as (
            select distinct m.event_type, m.countries
            from foreground m join _articles a using (article_id)
            where a.published is null
        )
        select m.*, a.published
        from foreground m
        semi join undated_contacts k
            on m.event_type = k.event_type and m.countries = k.countries
        join _articles a using (article_id)
        order by m.article_id
    """)
    published: dict[str, dt.date | None] = {}
    candidates = []
    for (article, kind, countries, day, offset, weekday, pub) in con.execute(
            "select * from _candidates").fetchall():
        published[article] = pub
        candidates.append(MentionDating(article, kind, tuple(countries), day, offset, weekday))
    inferred = infer_publication_dates(published, candidates)
    con.register("_inferred", pa.table({
        "article_id": pa.array(sorted(inferred), pa.string()),
        "published": pa.array([inferred[a][0] for a in sorted(inferred)], pa.date32()),
        "basis": pa.array([inferred[a][1] for a in sorted(inferred)], pa.string()),
    }))
    return con.sql("""
        select a.article_id,
               coalesce(i.published, a.published) as published,
               coalesce(i.basis, a.published_basis) as published_basis
        from _articles a left join _inferred i using (article_id)
        order by a.article_id
    """).to_arrow_reader(batch_rows), len(inferred)
