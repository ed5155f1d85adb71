"""`ittisal bench`: throughput per stage, end-to-end time, memory and incremental cost.

For each corpus size it lands synthetic articles (ittisal.synthetic) in a fresh ITTISAL_HOME,
times every stage through the same `sync_table` calls the assets make, then times whole
`ittisal run` processes through Dagster: a first run, a run with nothing new, and a run after
adding 1% new articles, reading each process's peak memory from the kernel.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyarrow as pa
from ahocorasick_rs import AhoCorasick, MatchKind

from ittisal import stages
from ittisal.datafiles import read_rows
from ittisal.entities import gazetteer, tagging
from ittisal.events import mentions
from ittisal.quality.validation import valid_codes
from ittisal.settings import LOCATION_VARIABLES, Settings
from ittisal.store.incremental import sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, fingerprints
from ittisal.store.schemas import (
    ARTICLE_DATES,
    ARTICLE_FINGERPRINTS,
    CLEANED_ARTICLES,
    ENTITY_MENTIONS,
    EVENT_MENTIONS,
    PARSED_ARTICLES,
    RAW_DOCUMENTS,
    TABLES,
)
from ittisal.store.sqlmodels import SQL_DIR, load_models, run_in_order
from ittisal.store.warehouse import lake_source
from ittisal.synthetic import long_record, synthetic_articles, write_feeds
from ittisal.text import segments
from ittisal.text.fingerprints import text_fingerprints as fingerprints_of_text
from ittisal.text.language import detect_language
from ittisal.text.normalize import _MATCH_DELETE, _fold, matching_form, normalize
from ittisal.version import pipeline_version

REPO = Path(__file__).resolve().parents[1]


def _stage_times(settings: Settings, clock: Callable[[], float] = time.perf_counter
                 ) -> dict[str, float]:
    lake, q, workers = settings.lake, settings.quarantine, settings.workers
    times = {}
    t = clock()
    files = discover(settings.landing)
    version = pipeline_version()
    wanted = fingerprints(files, version, batch_records=settings.batch_records)
    sync_table(lake, q, RAW_DOCUMENTS, wanted,
               stages.ingest(settings.landing, files, version, settings.batch_records), workers)
    sync_table(lake, q, PARSED_ARTICLES, Lake(lake).fingerprints(RAW_DOCUMENTS.name),
               stages.per_part(stages.parse_part, settings), workers)
    times["decode+parse"] = clock() - t
    for label, table, upstream, func in (
        ("clean+language", CLEANED_ARTICLES, PARSED_ARTICLES, stages.clean_part),
        ("fingerprints", ARTICLE_FINGERPRINTS, CLEANED_ARTICLES, stages.fingerprint_part),
        ("tag", ENTITY_MENTIONS, CLEANED_ARTICLES, stages.tag_part),
        ("events", EVENT_MENTIONS, ENTITY_MENTIONS, stages.event_part),
    ):
        t = clock()
        sync_table(lake, q, table, Lake(lake).fingerprints(upstream.name),
                   stages.per_part(func, settings), workers)
        times[label] = clock() - t
    # the floor under tagging: normalizing the same texts without matching anything
    t = clock()
    store = Lake(lake)
    for part in store.fingerprints(CLEANED_ARTICLES.name):
        for batch in store.read_part(CLEANED_ARTICLES.name, part):
            for text in batch.column("text").to_pylist():
                normalize(text or "")
    times["normalize only"] = clock() - t
    return times


def _sql_time(settings: Settings) -> float:
    """Seconds for every SQL model over the tables the text layer just wrote, read from the
    lake as the assets read them."""
    inputs: dict = {name: lake_source(settings, name) for name in TABLES
                    if name != ARTICLE_DATES.name}
    inputs[ARTICLE_DATES.name] = ARTICLE_DATES.arrow_schema.empty_table()
    return sum(seconds for _, seconds in run_in_order(load_models(SQL_DIR), inputs))


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants now, in MB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * resource.getpagesize()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 1e6


def _run_cli(home: Path, workers: int) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, summed over the run's process and its workers,
    sampled every 0.2 s) of one `ittisal run` process with `workers` workers."""
    # the run's every location in `home`, in the local profile: a deployment's variables in
    # this environment must not send synthetic articles to its landing or warehouse
    env = {k: v for k, v in os.environ.items() if k not in LOCATION_VARIABLES}
    env |= {"ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"),
            "ITTISAL_WORKERS": str(workers), "ITTISAL_ENV": "local"}
    t = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run"], env=env,
                               cwd=REPO, stdout=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - t
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return wall, peak


def _production_run(home: Path, workers: int, executor: str) -> float:
    """Wall seconds of one run of the code location's `process_landing` over every landed
    file, as the production profile runs it (`dagster job execute`, SQLite instance in
    `home`), with `executor` `multiprocess` (a process per step) or `in_process` (the
    profile's default)."""
    env = {k: v for k, v in os.environ.items() if k not in LOCATION_VARIABLES}
    env |= {"ITTISAL_ENV": "production", "ITTISAL_HOME": str(home),
            "ITTISAL_LANDING": str(home / "landing"), "ITTISAL_LAKE": str(home / "lake"),
            "ITTISAL_QUARANTINE": str(home / "quarantine"),
            "ITTISAL_WAREHOUSE": str(home / "warehouse.duckdb"),
            "DAGSTER_HOME": str(home / "dagster"), "ITTISAL_WORKERS": str(workers)}
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    # the partitions in step with landing/, and the tags of a run over all of them
    tags = subprocess.run(
        [sys.executable, "-c", "import dagster as dg, json, os; from pathlib import Path; "
         "from assets.partitions import every_partition; "
         "print(json.dumps(every_partition(dg.DagsterInstance.get(), "
         "Path(os.environ['ITTISAL_LANDING']))))"],
        env=env, cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    config = home / "run-config.yaml"  # JSON is YAML
    config.write_text(json.dumps({"execution": {"config": {executor: {}}}}), encoding="utf-8")
    subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "job", "execute", "-m",
         "pipelines.definitions", "-j", "process_landing", "--tags", tags, "-c", str(config)],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def bench_executors(n: int, corpus: Path, workers: int) -> dict:
    """End-to-end seconds of a first run over `n` synthetic articles: `ittisal run` (in
    process, local profile), and the production profile's job with the multiprocess and the
    in-process executor; each in a fresh home."""
    result: dict = {"articles": n, "workers": workers}
    for name, run in (("ittisal_run", lambda h: _run_cli(h, workers)[0]),
                      ("multiprocess", lambda h: _production_run(h, workers, "multiprocess")),
                      ("in_process", lambda h: _production_run(h, workers, "in_process"))):
        with tempfile.TemporaryDirectory(prefix="ittisal-bench-") as tmp:
            write_feeds(Path(tmp) / "landing", n, corpus)
            result[f"{name}_seconds"] = round(run(Path(tmp)), 2)
    result["production_ratio"] = round(
        result["in_process_seconds"] / result["ittisal_run_seconds"], 2)
    result["multiprocess_ratio"] = round(
        result["multiprocess_seconds"] / result["ittisal_run_seconds"], 2)
    return result


def _text_layer(n: int, corpus: Path, workers: int,
                clock: Callable[[], float] = time.perf_counter, per_file: int = 1000
                ) -> tuple[int, dict[str, float], Settings]:
    """Land `n` synthetic articles (feeds of `per_file` lines) in a fresh home and time the
    stages with `workers` processes; the landed bytes, the seconds per stage, and the home's
    settings (the caller removes the home)."""
    home = Path(tempfile.mkdtemp(prefix="ittisal-bench-"))
    settings = dataclasses.replace(Settings.of_own_home(home), workers=workers)
    size = write_feeds(settings.landing, n, corpus, per_file=per_file)
    return size, _stage_times(settings, clock), settings


def _text_seconds(stage: dict[str, float]) -> float:
    return sum(v for k, v in stage.items() if k != "normalize only")


def bench_size(n: int, corpus: Path, workers: int, scaling: bool = False,
               one_feed: bool = False) -> dict:
    """`one_feed`: the `n` articles as ONE feed (its batches share the workers) instead of
    feeds of 1,000."""
    per_file = n if one_feed else 1000
    result: dict = {"articles": n, "workers": workers, "files": -(-n // per_file)}
    size, stage, settings = _text_layer(n, corpus, workers, per_file=per_file)
    try:
        result["megabytes"] = round(size / 1e6, 2)
        result["stages"] = {k: {"seconds": round(v, 3), "docs_per_s": round(n / v),
                                "mb_per_s": round(size / 1e6 / v, 2)} for k, v in stage.items()}
        result["text_layer_docs_per_s"] = round(n / _text_seconds(stage))
        result["sql_models_seconds"] = round(_sql_time(settings), 3)
    finally:
        shutil.rmtree(settings.home, ignore_errors=True)
    if scaling and workers > 1:
        # the same corpus through one worker: what the second core buys
        _, one, settings = _text_layer(n, corpus, 1, per_file=per_file)
        shutil.rmtree(settings.home, ignore_errors=True)
        result["text_layer_docs_per_s_1_worker"] = round(n / _text_seconds(one))
        result["speedup"] = round(_text_seconds(one) / _text_seconds(stage), 2)
    with tempfile.TemporaryDirectory(prefix="ittisal-bench-") as tmp:
        home = Path(tmp)
        write_feeds(home / "landing", n, corpus, per_file=per_file)
        wall, peak = _run_cli(home, workers)
        result["end_to_end_seconds"], result["peak_mb"] = round(wall, 2), round(peak, 2)
        result["nothing_new_seconds"] = round(_run_cli(home, workers)[0], 2)
        write_feeds(home / "landing", max(1, n // 100), corpus, seed=1)
        result["add_1pct_seconds"] = round(_run_cli(home, workers)[0], 2)
    return result


def format_table(results: list[dict]) -> str:
    head = ("articles", "files", "MB", "parse/s", "clean/s", "tag/s", "tag MB/s", "normalize MB/s",
            "events/s", "text/s", "1-worker text/s", "speed-up", "sql s", "e2e s", "peak MB",
            "noop s", "+1% s")
    rows = [head]
    for r in results:
        s = r["stages"]
        rows.append((r["articles"], r["files"], r["megabytes"], s["decode+parse"]["docs_per_s"],
                     s["clean+language"]["docs_per_s"], s["tag"]["docs_per_s"],
                     s["tag"]["mb_per_s"], s["normalize only"]["mb_per_s"],
                     s["events"]["docs_per_s"], r["text_layer_docs_per_s"],
                     r.get("text_layer_docs_per_s_1_worker", "-"), r.get("speedup", "-"),
                     r["sql_models_seconds"], r["end_to_end_seconds"], r["peak_mb"],
                     r["nothing_new_seconds"], r["add_1pct_seconds"]))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True))
                     for row in rows)


def run_bench(sizes: list[int], corpus: Path, workers: int, json_path: Path | None,
              scaling: bool = False, one_feed: bool = False) -> str:
    results = [bench_size(n, corpus, workers, scaling, one_feed) for n in sizes]
    if json_path:
        json_path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return format_table(results)


def _fold_floor(text: str) -> str:
    """The cheapest honest fold: the matching form's deletions and one-for-one letter folds,
    with no offset map, no display repairs and no space runs collapsed."""
    return _fold(_MATCH_DELETE.sub("", text))


def floor_coder(lines: list[str]) -> int:
    """The floor any dictionary tagger pays: read each record, fold its text, one
    leftmost-longest Aho-Corasick pass over the gazetteer's keys (whole-word hits kept).
    The number of hits, so that nothing is optimised away."""
    automaton = gazetteer.load().automaton
    hits = 0
    for line in lines:
        text = _fold_floor(json.loads(line)["text"])
        n = len(text)
        for _, start, end in automaton.find_matches_as_indexes(text):
            if not ((start and text[start - 1].isalnum()) or (end < n and text[end].isalnum())):
                hits += 1
    return hits


@cache
def _trigger_stems() -> AhoCorasick:
    stems = {stem for row in read_rows("event_triggers.csv") for stem in row["stems"].split("|")}
    return AhoCorasick(sorted(stems), matchkind=MatchKind.LeftmostLongest)


_SENTENCE_END = re.compile(r"[.!?\n]")


def naive_coder(lines: list[str]) -> int:
    """A naive keyword event coder over the floor: each sentence that holds a trigger stem
    (event_triggers.csv) and two countries named by the gazetteer is one contact between
    them (no roles, dates, negation or background). The number of contacts."""
    gaz = gazetteer.load()
    stems = _trigger_stems()
    contacts = 0
    for line in lines:
        text = _fold_floor(json.loads(line)["text"])
        n = len(text)
        ends = [m.start() for m in _SENTENCE_END.finditer(text)] + [n]
        countries: dict[int, set[str]] = {}
        for index, start, end in gaz.automaton.find_matches_as_indexes(text):
            country = gaz.entries[index].country
            if country and not ((start and text[start - 1].isalnum())
                                or (end < n and text[end].isalnum())):
                countries.setdefault(bisect.bisect_left(ends, start), set()).add(country)
        triggered = {bisect.bisect_left(ends, start)
                     for _, start, _ in stems.find_matches_as_indexes(text)}
        contacts += sum(1 for s in triggered if len(countries.get(s, ())) >= 2)
    return contacts


def text_functions(record: dict) -> int:
    """Every text function the stages call for one feed record, in their order, with no
    Parquet, rows or budgets: parse, clean, language, normalize, tag, events, fingerprints.
    The number of event mentions."""
    parsed = segments.parse_document(record["text"])
    body = stages.article_body((s.kind, s.text) for s in parsed)
    detect_language(body)
    text = normalize(body)
    tagged = tagging.tag(text, None)
    found = mentions.extract_events(text, tagged, None)
    fingerprints_of_text(matching_form(body))
    return len(found)


def _warm() -> None:
    """Dictionaries, automata and the language profiles loaded before anything is timed."""
    warm = normalize("اتصل الرئيس المصري بنظيره الأردني أمس")
    mentions.extract_events(warm, tagging.tag(warm, None), None)
    detect_language("The minister called his counterpart to discuss the situation in the region")
    floor_coder([json.dumps({"text": warm.display})])
    naive_coder([json.dumps({"text": warm.display})])


ANCHORS = ("floor", "naive coder", "text functions", "stages")
# the floor and the naive coder take a fortieth of the stages' time: each repetition times
# them this many times and keeps the best, so that the ratios' noise is the stages', not theirs
CHEAP_REPEATS = 5


def _anchor_seconds(name: str, records: list[dict], lines: list[str], corpus: Path) -> float:
    """CPU seconds of one anchor over the same articles, on one core in this process (the
    stages: ingest to events, fingerprints too, over the articles landed as feeds, with one
    worker; landing them is not timed). CPU time, not wall time: on a machine shared with
    other work, time spent waiting for a core is not the code's."""
    if name == "stages":
        _, stage, settings = _text_layer(len(records), corpus, 1, time.process_time)
        shutil.rmtree(settings.home, ignore_errors=True)
        return _text_seconds(stage)
    if name == "text functions":
        started = time.process_time()
        for record in records:
            text_functions(record)
        return time.process_time() - started
    coder = floor_coder if name == "floor" else naive_coder
    best = float("inf")
    for _ in range(CHEAP_REPEATS):  # the yardstick must not be the noisiest figure
        started = time.process_time()
        coder(lines)
        best = min(best, time.process_time() - started)
    return best


def anchor_ratios(sizes: list[int], corpus: Path, repeats: int = 3) -> list[dict]:
    """Milliseconds an article, one core, of the floor, the naive coder, our text functions
    and our per-part stages over the same synthetic articles, timed (CPU time) in interleaved
    repetitions (each repetition runs all four in turn, so a neighbour's load falls on all of
    them alike); the best repetition of each, the spread between repetitions, and the ratios
    to the floor."""
    _warm()
    results = []
    for n in sizes:
        records = list(synthetic_articles(n, corpus))
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        runs: dict[str, list[float]] = {name: [] for name in ANCHORS}
        for _ in range(repeats):
            for name in ANCHORS:
                runs[name].append(_anchor_seconds(name, records, lines, corpus))
        best = {name: min(times) / n * 1000 for name, times in runs.items()}
        results.append({
            "articles": n, "repeats": repeats,
            "ms_per_article": {k: round(v, 3) for k, v in best.items()},
            "spread": {k: round(max(t) / min(t) - 1, 3) for k, t in runs.items()},
            "naive_over_floor": round(best["naive coder"] / best["floor"], 1),
            "text_functions_over_floor": round(best["text functions"] / best["floor"], 1),
            "stages_over_floor": round(best["stages"] / best["floor"], 1),
            "stages_articles_per_s": round(1000 / best["stages"]),
        })
    return results


def format_anchors(results: list[dict]) -> str:
    head = ("articles", "floor ms", "naive ms", "text fn ms", "stages ms", "naive/floor",
            "text fn/floor", "stages/floor", "stages art/s", "spread")
    rows = [head]
    for r in results:
        ms = r["ms_per_article"]
        rows.append((r["articles"], ms["floor"], ms["naive coder"], ms["text functions"],
                     ms["stages"], r["naive_over_floor"], r["text_functions_over_floor"],
                     r["stages_over_floor"], r["stages_articles_per_s"],
                     f"{max(r['spread'].values()):.0%}"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True))
                     for row in rows)


def profile_text(n: int, corpus: Path) -> dict[str, float]:
    """Milliseconds an article for each text function, one core, no Parquet or Dagster: where
    the text layer's time goes (the same calls `ittisal.stages` makes, timed one by one)."""
    from ittisal.events import dates

    records = list(synthetic_articles(n, corpus))
    _warm()
    spent: dict[str, float] = {}

    def timed(name: str, func, *args):
        started = time.perf_counter()
        out = func(*args)
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
        return out

    for record in records:
        parsed = timed("parse", segments.parse_document, record["text"])
        body = timed("clean", stages.article_body, ((s.kind, s.text) for s in parsed))
        timed("language", detect_language, body)
        text = timed("normalize", normalize, body)
        tagged = timed("tag", tagging.tag, text, None)
        timed("events", mentions.extract_events, text, tagged, None)
        timed("  of which dates", dates.find_date_expressions, text.matching)
        timed("  of which triggers", mentions.trigger_hits, text.matching)
        timed("fingerprints", fingerprints_of_text, matching_form(body))
    return {name: round(seconds / n * 1000, 3) for name, seconds in spent.items()}


def bench_long_record(sizes: list[int], corpus: Path) -> list[dict]:
    """Seconds for each text stage on one record of each size (corpus articles joined): how
    the text-to-events path grows with the length of one text, which must stay near-linear
    so that one long record cannot stall a run."""
    from ittisal.events import dates

    _warm()
    results = []
    for size in sizes:
        text = long_record(size, corpus)
        row: dict = {"characters": len(text)}
        started = time.perf_counter()
        parsed = segments.parse_document(text)
        row["parse"] = time.perf_counter() - started
        norm = normalize(stages.article_body((s.kind, s.text) for s in parsed))
        started = time.perf_counter()
        dates.find_date_expressions(norm.matching)
        row["dates"] = time.perf_counter() - started
        started = time.perf_counter()
        found = tagging.tag(norm, None)
        row["tag"] = time.perf_counter() - started
        started = time.perf_counter()
        events = mentions.extract_events(norm, found, None)
        row["events"] = time.perf_counter() - started
        results.append({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
                       | {"entity_mentions": len(found), "event_mentions": len(events)})
    return results


def synthetic_mentions(n: int, seed: int = 0) -> pa.Table:
    """`n` event mentions over three years, 60 states, four types, a third undated: the shape
    of `event_mentions` a year of Arabic news would give, for timing the SQL models only."""
    rng = random.Random(seed)
    codes = sorted(valid_codes())[:60]
    start = dt.date(2022, 1, 1)
    rows = []
    for i in range(n):
        a, b = rng.sample(codes, 2)
        day = start + dt.timedelta(days=rng.randrange(1095))
        dated = rng.random() > 0.3
        rows.append({
            "mention_id": f"m{i:08d}", "source_id": f"s{i // 3:08d}",
            "article_id": f"s{i // 3:08d}#0",
            "event_type": rng.choice(("call", "call", "visit", "meeting", "message")),
            "event_date": day if dated else None, "date_basis": "explicit" if dated else "unknown",
            "date_offset": None, "published": day, "countries": sorted((a, b)),
            "initiator": rng.choice((a, b, None)), "persons": [], "background": False,
            "evidence": "تلقى الرئيس اتصالا هاتفيا من نظيره.",
        })
    return pa.Table.from_pylist(rows, schema=EVENT_MENTIONS.arrow_schema)


def bench_models(mentions: int) -> dict:
    """Seconds for every SQL model over `mentions` synthetic event mentions (other inputs
    empty but for the publication dates of their articles)."""
    table = synthetic_mentions(mentions)
    inputs = {name: t.arrow_schema.empty_table() for name, t in TABLES.items()}
    inputs[EVENT_MENTIONS.name] = table
    articles = table.group_by("article_id").aggregate([("published", "min")])
    inputs[ARTICLE_DATES.name] = pa.table({
        "article_id": articles["article_id"], "published": articles["published_min"],
        "published_basis": pa.array(["feed"] * articles.num_rows)})
    times = {name: round(seconds, 3)
             for name, seconds in run_in_order(load_models(SQL_DIR), inputs)}
    return {"event_mentions": mentions, "events": inputs["events"].num_rows,
            "seconds": round(sum(times.values()), 2), "per_model": times}
