"""Checks that block bad data from flowing on, as plain functions over Arrow tables or lazily
read datasets (DuckDB reads only the columns a check names).

Each returns the rows that break the rule (empty when the table is sound), so the Dagster
asset checks can report a count and an example, and tests can call them directly.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Collection
from pathlib import Path

import duckdb
import pyarrow as pa

from ittisal.datafiles import read_rows
from ittisal.entities.gazetteer import organisation_codes
from ittisal.store.landing import bounded_lines, discover, recorded_path
from ittisal.store.sqlmodels import ArrowInput, bind


def valid_codes() -> set[str]:
    """ISO 3166-1 alpha-3 codes and the organisation codes the tagger emits."""
    return {r["alpha3"] for r in read_rows("countries.csv")} | organisation_codes()


def _query(sql: str, **tables: ArrowInput) -> list[tuple]:
    con = duckdb.connect()
    try:
        for name, table in tables.items():
            bind(con, name, table)
        return con.execute(sql).fetchall()
    finally:
        con.close()


def duplicate_keys(table: ArrowInput, key: tuple[str, ...]) -> list[tuple]:
    cols = ", ".join(f'"{k}"' for k in key)
    return _query(f"select {cols}, count(*) from t group by all having count(*) > 1", t=table)


def unknown_countries(mentions: ArrowInput) -> list[tuple]:
    codes = pa.table({"code": sorted(valid_codes())})
    return _query("""
        select m.mention_id, c.code
        from m, unnest(m.countries) as c(code)
        where c.code not in (select code from codes)
           or (m.initiator is not null and not list_contains(m.countries, m.initiator))
    """, m=mentions, codes=codes)


def evidence_outside_text(mentions: ArrowInput, articles: ArrowInput) -> list[tuple]:
    """Mentions whose evidence is not the text at its offsets in `cleaned_articles`."""
    return _query("""
        select m.mention_id
        from m left join a using (article_id)
        where a.text is null
           or m.evidence_start < 0 or m.evidence_end > length(a.text)
           or substring(a.text, m.evidence_start + 1, m.evidence_end - m.evidence_start)
              <> m.evidence
    """, m=mentions, a=articles)


def dated_after_publication(mentions: ArrowInput) -> list[tuple]:
    return _query("select mention_id, event_date, published from m "
                  "where event_date > published",
                  m=mentions)


def unaccounted_records(landing: Path, raw: ArrowInput, quarantine: ArrowInput,
                        processed: Collection[str] | None = None) -> list[tuple]:
    """Landed records found neither in `raw_documents` nor in quarantine.

    A file counts as one record, a feed as each of its non-blank lines; a feed refused as a
    whole (line_no null in quarantine) accounts for all its lines. With `processed` (part
    names of the files `raw_documents` has a part for), a file not among them is not looked
    at: a run for some partitions has not read the other files yet, which is not a loss.
    """
    seen: dict[str, set[int | None]] = {}
    for path, line in _query("""
            select landing_path, line_no from raw
            union all
            select landing_path, line_no from quarantine where stage = 'raw_documents'
            """, raw=raw, quarantine=quarantine):
        seen.setdefault(path, set()).add(line)
    missing: list[tuple] = []
    for landed in discover(landing):
        if processed is not None and landed.part not in processed:
            continue
        lines = seen.get(recorded_path(landed.relpath), set())
        if None in lines:
            continue
        if landed.format != "jsonl" or not landed.path.is_file():
            if not lines:
                missing.append((recorded_path(landed.relpath), None))
            continue
        with open(landed.path, "rb") as f:
            missing += [(landed.relpath, n) for n, text, _ in bounded_lines(f)
                        if (text is None or text.strip()) and n not in lines]
    return missing


def sudden_drop(daily: dict[dt.date, int], *, baseline_days: int = 28, ratio: float = 0.5,
                min_baseline: float = 4.0) -> str | None:
    """Why the latest day's count looks like a broken feed, or None when it does not.

    The latest day is compared with the median of the `baseline_days` before it (days without
    events count as 0); too small a baseline says nothing.
    """
    if not daily:
        return None
    last = max(daily)
    before = [daily.get(last - dt.timedelta(days=i), 0) for i in range(1, baseline_days + 1)]
    median = statistics.median(before)
    if median < min_baseline or daily[last] >= ratio * median:
        return None
    return (f"{daily[last]} on {last} against a median of {median:g} over the "
            f"{baseline_days} days before")
