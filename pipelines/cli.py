"""`ittisal`: run the pipeline in-process, open the UI, load the samples, score against gold."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ittisal.settings import Settings
from ittisal.store.locks import exclusive
from pipelines import preflight
from pipelines.instance import prune_runs, write_instance_settings
from pipelines.preflight import USAGE_EXIT, UsageError

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
BUSY_EXIT = 75  # EX_TEMPFAIL: another run holds the lock
INTERRUPTED_EXIT = 130  # what a shell reports for a command stopped by Ctrl-C
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _dagster_home(settings: Settings) -> Path:
    """The Dagster instance the CLI and the UI share, so CLI runs show up in the UI.

    Its SQLite storage is created under a lock: two processes creating a fresh instance at
    once leave its schema history with two heads ("alembic_version has more than one head"),
    and every later run then fails."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.home / "dagster")
    home.mkdir(parents=True, exist_ok=True)
    write_instance_settings(home)  # local SQLite storage, Dagster's default; tick retention
    os.environ["DAGSTER_HOME"] = str(home)
    import dagster as dg

    with exclusive(home / ".create.lock"):
        dg.DagsterInstance.get()
    return home


def cmd_run(args: argparse.Namespace) -> int:
    settings = preflight.settings()
    if args.show:
        preflight.check_table(args.show)
    preflight.check_landing(settings)
    for note in (preflight.home_note(settings), preflight.empty_landing(settings)):
        if note:
            print(f"ittisal run: {note}", file=sys.stderr)
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.landing.mkdir(parents=True, exist_ok=True)
    with open(settings.home / ".run.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if args.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            print(f"another ittisal run is using {settings.home}; try again when it ends "
                  "(or pass --wait)", file=sys.stderr)
            return BUSY_EXIT
        try:
            return _run_locked(settings, args)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def execute_landing_job(settings: Settings, log_level: str = "WARNING"):
    """Materialize `process_landing` in this process against the Dagster instance of
    `settings` (what `ittisal run` and `ittisal eval --corpus` both execute); the steps read
    their locations from the `ITTISAL_*` variables, so the caller sets those to `settings`.

    The run has no partition (`local_defs()`): it brings the whole of each table up to date
    and records one materialization per table. The partitions (one per landed file) are first
    brought in step with landing/, so that the UI and a backfill know the files there."""
    _dagster_home(settings)
    import dagster as dg

    from assets.partitions import sync_partitions
    from pipelines.definitions import local_defs

    instance = dg.DagsterInstance.get()
    sync_partitions(instance, settings.landing)
    result = local_defs().resolve_job_def("process_landing").execute_in_process(
        instance=instance, raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
    prune_runs(instance)
    return result


def _run_locked(settings: Settings, args: argparse.Namespace) -> int:
    if args.full_refresh:
        from ittisal.store.lake import clear_location
        from ittisal.store.warehouse import forget_published

        for location in (settings.lake, settings.quarantine):  # a folder or a bucket prefix
            clear_location(location)
        shutil.rmtree(settings.check_results, ignore_errors=True)
        forget_published(settings.warehouse)
    import time

    import dagster as dg

    from ittisal.store.progress import reporting
    from pipelines.interrupt import MESSAGE, quiet_interrupts, was_interrupted
    from pipelines.progress import TerminalProgress, run_summary

    started = time.monotonic()
    with reporting(TerminalProgress(sys.stderr)), quiet_interrupts() as sigint:
        result = execute_landing_job(settings, args.log_level)
        interrupted = was_interrupted(result, sigint)
    if interrupted:
        print(f"ittisal run: {MESSAGE}", file=sys.stderr)
        return INTERRUPTED_EXIT
    files = None
    for event in result.get_asset_materialization_events():
        mat = event.materialization
        meta = {k: v.value for k, v in mat.metadata.items()}
        if mat.asset_key.to_user_string() == "raw_documents" and "parts_computed" in meta:
            files = (meta["parts_computed"], meta["parts_unchanged"])
        line = f"{mat.asset_key.to_user_string():28} rows={meta.get('dagster/row_count', '-')}"
        if "skipped" in meta:
            line += " (inputs unchanged: not rebuilt)"
        if "parts_computed" in meta:
            line += (f" computed={meta['parts_computed']} unchanged={meta['parts_unchanged']}"
                     f" quarantined={meta['records_quarantined']}")
        print(line)
    for check in result.get_asset_check_evaluations():
        failures = check.metadata.get("failures")
        verdict = "passed" if check.passed else (
            "WARNING" if check.severity == dg.AssetCheckSeverity.WARN else "FAILED")
        reused = check.metadata.get("reused")
        print(f"check {check.check_name:42} {verdict}"
              f" failures={failures.value if failures else 0}"
              + (" (inputs unchanged: result reused)" if reused and reused.value else ""))
    if not result.success:
        print("run failed; see the Dagster UI (`ittisal ui`) for the step logs", file=sys.stderr)
        return 1
    print(run_summary(settings.warehouse, files, time.monotonic() - started))
    if args.show:
        return _show(settings.warehouse, args.show)
    return 0


def _show(warehouse: Path, table: str) -> int:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {name for (name,) in con.execute("show tables").fetchall()}
        if table not in tables:
            print(f"no table {table!r}; the warehouse has: {', '.join(sorted(tables))}",
                  file=sys.stderr)
            return 1
        print(f"\n{table}:")
        print(con.sql(f'select * from "{table}"'))
        return 0
    finally:
        con.close()


def cmd_samples(args: argparse.Namespace) -> int:
    """Copy the bundled sample articles into landing/ (existing files are replaced)."""
    settings = preflight.settings()
    note = preflight.home_note(settings)
    if note:
        print(f"ittisal samples: {note}", file=sys.stderr)
    target = settings.landing / "samples"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(SAMPLES.glob("*.txt")):
        shutil.copyfile(path, target / path.name)
        print(f"landed {target / path.name}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    from pipelines.ui import PORT_BUSY_EXIT, port_refusal, serve

    refusal = port_refusal(args.host, args.port)
    if refusal:  # before anything starts: no daemon beside another UI's
        print(f"ittisal ui: {refusal}; choose another with --port", file=sys.stderr)
        return PORT_BUSY_EXIT
    home = _dagster_home(Settings.from_env())
    return serve(home, REPO / "workspace.yaml", args.host, args.port)


def cmd_eval(args: argparse.Namespace) -> int:
    from ittisal.quality.evaluation import evaluate_warehouse, summary_json, summary_table

    if bool(args.gold) == bool(args.corpus):
        raise UsageError("give either GOLD.jsonl or --corpus DIR")
    if args.gold:
        if args.work or args.json:
            raise UsageError("--work and --json go with --corpus, not with a gold file")
        settings = preflight.settings()
        preflight.check_gold(Path(args.gold))
        preflight.check_warehouse(settings)
        evaluation = preflight.readable_warehouse(
            settings, lambda: evaluate_warehouse(settings.warehouse, Path(args.gold)))
        if not evaluation.articles:
            raise UsageError(f"none of the {evaluation.gold_articles} articles of {args.gold} "
                             f"is in the warehouse {settings.warehouse}; land them and "
                             "`ittisal run` first")
        print(evaluation.coverage(), file=sys.stderr)
        print(evaluation.report())
        return 0
    from pipelines.evaluate import evaluate_corpus

    if not Path(args.corpus).is_dir():
        raise UsageError(f"--corpus: no folder {args.corpus}")
    if args.work and Path(args.work).exists() and not Path(args.work).is_dir():
        raise UsageError(f"--work: {args.work} is a file; it must be a folder")
    evaluations = evaluate_corpus(Path(args.corpus), Path(args.work) if args.work else None,
                                  log=lambda line: print(line, file=sys.stderr))
    print(json.dumps(summary_json(evaluations), indent=2) if args.json
          else summary_table(evaluations))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from pipelines.bench import (
        anchor_ratios,
        bench_executors,
        bench_long_record,
        bench_models,
        format_anchors,
        profile_text,
        run_bench,
    )

    if not (args.sizes or args.long_record or args.profile or args.model_mentions
            or args.anchors or args.executors):
        raise UsageError("say what to measure: --sizes 1000,10000 (articles per corpus; "
                         "100000 takes a quarter of an hour or more), or --anchors SIZES, "
                         "--profile N, --long-record SIZES, --executors SIZES or "
                         "--model-mentions N "
                         "(see `ittisal bench --help`)")
    if not args.model_mentions and not Path(args.corpus).is_dir():
        raise UsageError(f"--corpus: no folder {args.corpus} (the real articles to assemble "
                         "synthetic ones from)")
    if args.long_record:
        sizes = preflight.sizes("--long-record", args.long_record)
        print(json.dumps(bench_long_record(sizes, Path(args.corpus)), indent=2))
        return 0
    if args.profile:
        print(json.dumps(profile_text(args.profile, Path(args.corpus)), indent=2))
        return 0
    if args.anchors:
        sizes = preflight.sizes("--anchors", args.anchors)
        results = anchor_ratios(sizes, Path(args.corpus), args.repeats)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(format_anchors(results))
        return 0
    if args.executors:
        results = [bench_executors(n, Path(args.corpus), args.workers)
                   for n in preflight.sizes("--executors", args.executors)]
        print(json.dumps(results, indent=2))
        return 0
    if args.model_mentions:
        print(json.dumps(bench_models(args.model_mentions), indent=2))
        return 0
    sizes = preflight.sizes("--sizes", args.sizes)
    print(run_bench(sizes, Path(args.corpus), args.workers,
                    Path(args.json) if args.json else None, args.scaling, args.one_feed))
    return 0


def _ui_preflight() -> None:
    """`ittisal ui`'s settings checked, and a home it is about to create said (its Dagster
    instance goes there), before the UI starts."""
    note = preflight.home_note(preflight.settings())
    if note:
        print(f"ittisal ui: {note}", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    """argparse's parser with its refusals in one line (argparse prints the usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_EXIT, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _log_level(text: str) -> str:
    if text.upper() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(LOG_LEVELS)}")
    return text.upper()


def _count(text: str) -> int:
    """A whole number of at least 1 (workers, articles, mentions)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1 to 65535)")
    return int(text)


def _version() -> str:
    from importlib.metadata import version

    from ittisal.version import pipeline_version

    return f"ittisal {version('ittisal')} (pipeline {pipeline_version()})"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ittisal", description=__doc__,
                     epilog="Locations come from ITTISAL_HOME (default ./data of the current "
                            "folder) and the other ITTISAL_* variables (README, 'Where things "
                            "are'). A refused command prints one line and exits 2.")
    parser.add_argument("--version", action="version", version=_version(),
                        help="print the package version and the pipeline's code fingerprint")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="process whatever is pending in landing/",
                         description="Process whatever is new, changed or removed in landing/ "
                                     "and republish the warehouse.")
    run.add_argument("--full-refresh", action="store_true",
                     help="drop the lake, quarantine and cached check results first, "
                          "re-process every landed file and rebuild the warehouse "
                          "(default: only what changed)")
    run.add_argument("--wait", action="store_true",
                     help="wait for a concurrent run on this home to end (default: exit 75)")
    run.add_argument("--show", metavar="TABLE",
                     help="print this warehouse table afterwards (default: none)")
    run.add_argument("--log-level", default="WARNING", type=_log_level, metavar="LEVEL",
                     help=f"Dagster console log level, one of {', '.join(LOG_LEVELS)} "
                          "(default: %(default)s)")
    run.set_defaults(func=cmd_run)
    sub.add_parser("samples", help="land the bundled sample articles in landing/samples/",
                   description="Copy the bundled sample articles into landing/samples/ "
                               "(files of the same name are replaced).").set_defaults(
        func=cmd_samples)
    ui = sub.add_parser("ui", help="start the Dagster UI, its sensor and its schedule",
                        description="Start the Dagster UI on this project's instance, with the "
                                    "daemon that runs the sensor and the schedule.")
    ui.add_argument("--host", default="127.0.0.1",
                    help="address to serve on (default: %(default)s)")
    ui.add_argument("--port", type=_port, default=3000, help="port (default: %(default)s)")
    ui.set_defaults(func=cmd_ui, preflight=_ui_preflight)
    ev = sub.add_parser("eval", help="compare the warehouse with a gold file, or run and "
                        "score every set of a corpus folder (--corpus)",
                        description="Score the gold file's articles in the warehouse of "
                                    "ITTISAL_HOME (other articles there are not scored), or "
                                    "run and score every gold set of a corpus folder.")
    ev.add_argument("gold", nargs="?", metavar="GOLD.jsonl",
                    help="score the current warehouse against this file")
    ev.add_argument("--corpus", metavar="DIR",
                    help="instead: land each set of DIR (seeds, dev, dev2 tune, dev2 check) in "
                         "its own temporary home, run the pipeline, score, print one table")
    ev.add_argument("--work", metavar="DIR",
                    help="with --corpus: keep each set's home under DIR (default: removed)")
    ev.add_argument("--json", action="store_true",
                    help="with --corpus: every score as JSON (default: one table)")
    ev.set_defaults(func=cmd_eval)
    bench = sub.add_parser("bench", help="measure throughput on synthetic corpora",
                           description="Measure throughput, memory and incremental cost. Give "
                                       "--sizes, or one of --profile, --long-record, "
                                       "--model-mentions: a bare `ittisal bench` starts "
                                       "nothing.")
    bench.add_argument("--sizes", metavar="N,N,...",
                       help="articles of each synthetic corpus to run end to end, e.g. "
                            "1000,10000 (100000 takes a quarter of an hour or more and ~1 GB; "
                            "no default)")
    bench.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"),
                       help="real articles to assemble synthetic ones from "
                            "(default: %(default)s)")
    bench.add_argument("--workers", type=_count, default=1,
                       help="processes that compute parts (default: %(default)s)")
    bench.add_argument("--json", metavar="FILE",
                       help="also write the results here (default: none)")
    bench.add_argument("--scaling", action="store_true",
                       help="also time the text layer with one worker, for the speed-up ratio")
    bench.add_argument("--executors", metavar="SIZES",
                       help="instead: end-to-end seconds of a first run at each size with "
                            "`ittisal run` and the production job's multiprocess and in-process "
                            "executors, e.g. 1000,10000")
    bench.add_argument("--one-feed", action="store_true",
                       help="land each size as ONE feed (cut into batches of "
                            "ITTISAL_BATCH_RECORDS lines) instead of feeds of 1,000")
    bench.add_argument("--profile", type=_count, metavar="N",
                       help="instead: milliseconds an article per text function over N articles")
    bench.add_argument("--long-record", metavar="SIZES",
                       help="instead: seconds per text stage on one record of each size in "
                            "characters (corpus articles joined), e.g. 12500,50000,100000,400000")
    bench.add_argument("--anchors", metavar="SIZES",
                       help="instead: milliseconds an article on one core of the floor (read, "
                            "fold, one Aho-Corasick pass over the gazetteer), a naive keyword "
                            "coder, our text functions and our stages, with their ratios to "
                            "the floor, for each size, e.g. 1000,5000")
    bench.add_argument("--repeats", type=_count, default=3,
                       help="interleaved repetitions for --anchors; the best of each is "
                            "reported with the spread (default: %(default)s)")
    bench.add_argument("--model-mentions", type=_count, metavar="N",
                       help="instead: time the SQL models over N synthetic mentions")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        preflight.profile()
        if hasattr(args, "preflight"):
            args.preflight()
        return args.func(args)
    except UsageError as exc:
        print(f"ittisal {args.command}: {exc}", file=sys.stderr)
        return USAGE_EXIT
    except KeyboardInterrupt:
        print(f"ittisal {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED_EXIT


if __name__ == "__main__":
    sys.exit(main())
