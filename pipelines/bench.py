"""`ittisal bench`: throughput per stage, end-to-end time, memory and incremental cost.

For each corpus size it lands synthetic articles (ittisal.synthetic) in a fresh ITTISAL_HOME,
times every stage through the same `sync_table` calls the assets make, then times whole
`ittisal run` processes through Dagster: a first run, a run with nothing new, and a run after
adding 1% new articles, reading each process's peak memory from the kernel.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

from ittisal import stages
from ittisal.quality.validation import valid_codes
from ittisal.settings import LOCATION_VARIABLES, Settings
from ittisal.store.incremental import sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, fingerprints
from ittisal.store.schemas import (
    ARTICLE_DATES,
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
from ittisal.text.normalize import normalize
from ittisal.version import pipeline_version

REPO = Path(__file__).resolve().parents[1]


def _stage_times(settings: Settings) -> dict[str, float]:
    lake, q, workers = settings.lake, settings.quarantine, settings.workers
    times = {}
    t = time.perf_counter()
    files = discover(settings.landing)
    version = pipeline_version()
    wanted = fingerprints(files, version)
    sync_table(lake, q, RAW_DOCUMENTS, wanted, stages.ingest(settings.landing, files, version),
               workers)
    sync_table(lake, q, PARSED_ARTICLES, Lake(lake).fingerprints(RAW_DOCUMENTS.name),
               stages.per_part(stages.parse_part, settings), workers)
    times["decode+parse"] = time.perf_counter() - t
    for label, table, upstream, func in (
        ("clean+language", CLEANED_ARTICLES, PARSED_ARTICLES, stages.clean_part),
        ("tag", ENTITY_MENTIONS, CLEANED_ARTICLES, stages.tag_part),
        ("events", EVENT_MENTIONS, ENTITY_MENTIONS, stages.event_part),
    ):
        t = time.perf_counter()
        sync_table(lake, q, table, Lake(lake).fingerprints(upstream.name),
                   stages.per_part(func, settings), workers)
        times[label] = time.perf_counter() - t
    # the floor under tagging: normalizing the same texts without matching anything
    t = time.perf_counter()
    store = Lake(lake)
    for part in store.fingerprints(CLEANED_ARTICLES.name):
        for batch in store.read_part(CLEANED_ARTICLES.name, part):
            for text in batch.column("text").to_pylist():
                normalize(text or "")
    times["normalize only"] = time.perf_counter() - t
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


def _text_layer(n: int, corpus: Path, workers: int) -> tuple[int, dict[str, float], Settings]:
    """Land `n` synthetic articles in a fresh home and time the stages with `workers`
    processes; the landed bytes, the seconds per stage, and the home's settings (the caller
    removes the home)."""
    home = Path(tempfile.mkdtemp(prefix="ittisal-bench-"))
    settings = dataclasses.replace(Settings.of_own_home(home), workers=workers)
    size = write_feeds(settings.landing, n, corpus)
    return size, _stage_times(settings), settings


def _text_seconds(stage: dict[str, float]) -> float:
    return sum(v for k, v in stage.items() if k != "normalize only")


def bench_size(n: int, corpus: Path, workers: int, scaling: bool = False) -> dict:
    result: dict = {"articles": n, "workers": workers}
    size, stage, settings = _text_layer(n, corpus, workers)
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
        _, one, settings = _text_layer(n, corpus, 1)
        shutil.rmtree(settings.home, ignore_errors=True)
        result["text_layer_docs_per_s_1_worker"] = round(n / _text_seconds(one))
        result["speedup"] = round(_text_seconds(one) / _text_seconds(stage), 2)
    with tempfile.TemporaryDirectory(prefix="ittisal-bench-") as tmp:
        home = Path(tmp)
        write_feeds(home / "landing", n, corpus)
        wall, peak = _run_cli(home, workers)
        result["end_to_end_seconds"], result["peak_mb"] = round(wall, 2), round(peak, 2)
        result["nothing_new_seconds"] = round(_run_cli(home, workers)[0], 2)
        write_feeds(home / "landing", max(1, n // 100), corpus, seed=1)
        result["add_1pct_seconds"] = round(_run_cli(home, workers)[0], 2)
    return result


def format_table(results: list[dict]) -> str:
    head = ("articles", "MB", "parse/s", "clean/s", "tag/s", "tag MB/s", "normalize MB/s",
            "events/s", "text/s", "1-worker text/s", "speed-up", "sql s", "e2e s", "peak MB",
            "noop s", "+1% s")
    rows = [head]
    for r in results:
        s = r["stages"]
        rows.append((r["articles"], r["megabytes"], s["decode+parse"]["docs_per_s"],
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
              scaling: bool = False) -> str:
    results = [bench_size(n, corpus, workers, scaling) for n in sizes]
    if json_path:
        json_path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return format_table(results)


def profile_text(n: int, corpus: Path) -> dict[str, float]:
    """Milliseconds an article for each text function, one core, no Parquet or Dagster: where
    the text layer's time goes (the same calls `ittisal.stages` makes, timed one by one)."""
    from ittisal.entities import tagging
    from ittisal.events import dates, mentions
    from ittisal.text import fingerprints, segments
    from ittisal.text.language import detect_language
    from ittisal.text.normalize import matching_form

    records = list(synthetic_articles(n, corpus))
    warm = normalize("اتصل الرئيس المصري بنظيره الأردني أمس")
    mentions.extract_events(warm, tagging.tag(warm, None), None)  # dictionaries loaded first
    detect_language("The minister called his counterpart to discuss the situation in the region")
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
        timed("fingerprints", fingerprints.text_fingerprints, matching_form(body))
    return {name: round(seconds / n * 1000, 3) for name, seconds in spent.items()}


def bench_long_record(sizes: list[int], corpus: Path) -> list[dict]:
    """Seconds for each text stage on one record of each size (corpus articles joined): how
    the text-to-events path grows with the length of one text, which must stay near-linear
    so that one long record cannot stall a run."""
    from ittisal.entities import tagging
    from ittisal.events import dates, mentions
    from ittisal.text import segments

    warm = normalize("اتصل الرئيس المصري بنظيره الأردني أمس")
    mentions.extract_events(warm, tagging.tag(warm, None), None)  # dictionaries loaded first
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
