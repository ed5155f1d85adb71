"""Score the warehouse against a gold file (the format of `shared/corpus/*gold*.jsonl`).

It runs nothing: it reads `event_mentions` and `events` from the published warehouse and
compares them with the gold events of the articles the gold covers. Only those articles are
scored, whatever else the warehouse holds: their mentions, and `calls_by_country_by_day` as
its own SQL model builds it over the events they report (the warehouse's table also counts
the calls of articles the gold does not cover, which would score as false rows).
Background events (past contacts told in passing) are left out on both sides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from ittisal.entities.gazetteer import organisation_codes
from ittisal.store.sqlmodels import SQL_DIR, load_models, run_model

EVENT_TYPES = ("call", "visit", "meeting", "message")

@dataclass(frozen=True)
class Score:
    name: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (f"{self.name:34} P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"
                f"  (tp={self.tp} fp={self.fp} fn={self.fn})")


@dataclass
class Evaluation:
    scores: dict[str, Score]
    initiator_accuracy: float
    initiator_pairs: int
    misses: list[str]
    extras: list[str]
    articles: int = 0  # gold articles found in the warehouse
    gold_events: int = 0  # their non-background gold events
    gold_articles: int = 0  # articles the gold file lists
    other_articles: int = 0  # warehouse articles the gold does not cover: not scored

    def coverage(self) -> str:
        """One line that says what was scored: the gold's articles found in the warehouse."""
        return (f"scored the {self.articles} of the gold's {self.gold_articles} articles found "
                f"in the warehouse; {self.other_articles} other articles there are not scored")

    def report(self) -> str:
        """The headline scores and the initiator accuracy first (their line numbers are what
        scripts `head`), then detection by event type."""
        by_type = {f"{t} detection" for t in EVENT_TYPES}
        lines = [s.line() for k, s in self.scores.items() if k not in by_type]
        lines.append(f"{'initiator accuracy':34} {self.initiator_accuracy:.3f} "
                     f"over {self.initiator_pairs} detected gold events")
        lines += [s.line() for k, s in self.scores.items() if k in by_type]
        if self.misses:
            lines += ["", "missed (gold not found):", *("  " + m for m in self.misses)]
        if self.extras:
            lines += ["", "extra (not in gold):", *("  " + e for e in self.extras)]
        return "\n".join(lines)


def _gold_codes(countries: list[str]) -> tuple[str, ...]:
    """Our party codes as the gold writes them: `UN` and `EU` stay, any other organisation is
    `IGO` (the gold names it in a separate `org` field; shared/corpus/README.md)."""
    return tuple(sorted("IGO" if c in _igo_codes() else c for c in countries))


@cache
def _igo_codes() -> frozenset[str]:
    return organisation_codes() - {"UN", "EU"}


def _score(name: str, ours: set, gold: set) -> Score:
    return Score(name, len(ours & gold), len(ours - gold), len(gold - ours))


def _gold_key(source_ids: list[str], gold_id: str) -> str | None:
    """Our `source_id` for a gold id: equal, a landed path ending in it, or a feed record
    with that id (`<feed path>#<id>`); the first in sorted order when several match."""
    for sid in sorted(source_ids):
        if sid == gold_id or sid.endswith("/" + gold_id) or sid.endswith(".jsonl#" + gold_id):
            return sid
    return None


def gold_calls_table(gold: list[dict]) -> Counter:
    """(day, country) → calls, with each real call counted once across articles: once per
    `same_event_group` (on the day of its first report), else once per day and states. One
    article's several calls of one day and states (two officials of one state, «ثلاث مرات»)
    count as several: the most that any one article lists."""
    groups: dict[str, tuple[str, tuple[str, ...]]] = {}
    most: Counter = Counter()
    for article in gold:
        listed: Counter = Counter()
        for ev in article["events"]:
            if ev["type"] != "call" or ev.get("background") or not ev.get("date"):
                continue
            countries = tuple(sorted(ev["countries"]))
            if ev.get("same_event_group"):
                groups.setdefault(ev["same_event_group"], (ev["date"], countries))
            else:
                listed[(ev["date"], countries)] += 1
        for key, n in listed.items():
            most[key] = max(most[key], n)
    table: Counter = Counter()
    for (day, countries), n in [*most.items(), *((key, 1) for key in groups.values())]:
        for country in countries:
            table[(dt.date.fromisoformat(day), country)] += n
    return table


def _calls_table(events: duckdb.DuckDBPyRelation) -> set[tuple]:
    """(day, country, calls) rows of `calls_by_country_by_day`, built by its own model over
    `events` (the events of the scored articles)."""
    [model] = [m for m in load_models(SQL_DIR) if m.name == "calls_by_country_by_day"]
    table = run_model(model, {"events": events.to_arrow_table()})
    return set(zip(*(table.column(c).to_pylist() for c in ("day", "country", "calls")),
                   strict=True))


def evaluate_warehouse(warehouse: Path, gold_path: Path) -> Evaluation:
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        all_sources = [r[0] for r in con.sql("select source_id from raw_documents").fetchall()]
        covered = {}
        for article in gold:
            sid = _gold_key(all_sources, article["id"])
            if sid:
                covered[sid] = article
        # what the product says each article reports: the de-duplicated events its mentions
        # ended up in, with their final day (an undated mention that joined a dated report
        # of the same contact carries that report's day), and what the article itself says
        # of who initiated it
        mentions = con.sql(
            "select m.source_id, e.event_type, e.countries, e.event_date, m.initiator, "
            "m.evidence from events as e, unnest(e.mention_ids) as u(mention_id) "
            "join event_mentions as m on m.mention_id = u.mention_id").fetchall()
        ours_table = _calls_table(con.sql(
            "select * from events where list_has_any(source_ids, $covered)",
            params={"covered": sorted(covered)}))
    finally:
        con.close()
    ours = [(m[0], m[1], _gold_codes(m[2]), *m[3:]) for m in mentions if m[0] in covered]
    gold_events = [(sid, ev) for sid, art in covered.items() for ev in art["events"]
                   if not ev.get("background")]

    def detect(sid, type_, countries):
        return (sid, type_, tuple(sorted(countries)))

    ours_detect = {detect(m[0], m[1], m[2]) for m in ours}
    gold_detect = {detect(sid, ev["type"], ev["countries"]) for sid, ev in gold_events}
    ours_full = {(*detect(m[0], m[1], m[2]), m[3]) for m in ours}
    gold_full = {(*detect(sid, ev["type"], ev["countries"]),
                  dt.date.fromisoformat(ev["date"]) if ev.get("date") else None)
                 for sid, ev in gold_events}
    scores = {
        "detection (article, type, countries)": _score("detection", ours_detect, gold_detect),
        "full tuple (+ date)": _score("full tuple (+ date)", ours_full, gold_full),
    }
    for type_ in EVENT_TYPES:
        scores[f"{type_} full tuple"] = _score(
            f"{type_} full tuple", {k for k in ours_full if k[1] == type_},
            {k for k in gold_full if k[1] == type_})
    gold_table = {(d, c, n) for (d, c), n in gold_calls_table(list(covered.values())).items()}
    scores["calls_by_country_by_day rows"] = _score(
        "calls_by_country_by_day rows", ours_table, gold_table)
    for type_ in EVENT_TYPES:
        scores[f"{type_} detection"] = _score(
            f"{type_} detection", {k for k in ours_detect if k[1] == type_},
            {k for k in gold_detect if k[1] == type_})
    pairs = right = 0
    for sid, ev in gold_events:
        candidates = [m for m in ours if detect(m[0], m[1], m[2])
                      == detect(sid, ev["type"], ev["countries"])]
        if candidates:
            pairs += 1
            right += any(m[4] == ev.get("initiator") for m in candidates)
    misses = sorted(f"{k[0][-40:]} {k[1]} {','.join(k[2])} {k[3]}" for k in gold_full - ours_full)
    extras = sorted(f"{k[0][-40:]} {k[1]} {','.join(k[2])} {k[3]}" for k in ours_full - gold_full)
    return Evaluation(scores, right / pairs if pairs else 0.0, pairs, misses, extras,
                      len(covered), len(gold_events), len(gold),
                      len(set(all_sources) - set(covered)))


# the F1s that sum a set up in one row, before its initiator accuracy and its table's P/R/F1
SUMMARY_COLUMNS = (
    ("call detection", "call det F1"),
    ("call full tuple", "call full F1"),
    ("detection (article, type, countries)", "all det F1"),
    ("full tuple (+ date)", "all full F1"),
)


def summary_json(evaluations: dict[str, Evaluation]) -> dict[str, dict]:
    """Every score of every set with its counts, for tools that compare runs."""
    return {
        name: {
            "articles": ev.articles, "gold_events": ev.gold_events,
            "initiator_accuracy": round(ev.initiator_accuracy, 4),
            "initiator_pairs": ev.initiator_pairs,
            "scores": {key: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                             "f1": round(s.f1, 4), "tp": s.tp, "fp": s.fp, "fn": s.fn}
                       for key, s in ev.scores.items()},
        }
        for name, ev in evaluations.items()
    }


def summary_table(evaluations: dict[str, Evaluation]) -> str:
    """One row a set: the headline F1s, initiator accuracy, and the table's P and R beside
    its F1 (the product analysts read is that table)."""
    headings = ["set", "articles", "gold", *(h for _, h in SUMMARY_COLUMNS),
                "initiator", "table P", "table R", "table F1"]
    rows = []
    for name, ev in evaluations.items():
        table = ev.scores["calls_by_country_by_day rows"]
        rows.append([name, str(ev.articles), str(ev.gold_events),
                     *(f"{ev.scores[key].f1:.3f}" for key, _ in SUMMARY_COLUMNS),
                     f"{ev.initiator_accuracy:.3f}", f"{table.precision:.3f}",
                     f"{table.recall:.3f}", f"{table.f1:.3f}"])
    widths = [max(len(r[i]) for r in [headings, *rows]) for i in range(len(headings))]

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([fmt(headings), *(fmt(r) for r in rows)])
