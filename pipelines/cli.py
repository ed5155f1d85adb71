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

from ittisal.settings import Settings
from ittisal.store.locks import exclusive
from pipelines.instance import prune_runs, write_instance_settings

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
BUSY_EXIT = 75  # EX_TEMPFAIL: another run holds the lock


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
    settings = Settings.from_env()
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
    their locations from the `ITTISAL_*` variables, so the caller sets those to `settings`."""
    _dagster_home(settings)
    import dagster as dg

    from pipelines.definitions import defs

    instance = dg.DagsterInstance.get()
    result = defs.resolve_job_def("process_landing").execute_in_process(
        instance=instance, raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
    prune_runs(instance)
    return result


def _run_locked(settings: Settings, args: argparse.Namespace) -> int:
    if args.full_refresh:
        from ittisal.store.warehouse import forget_published

        for path in (settings.lake, settings.quarantine):
            if "://" not in path:
                shutil.rmtree(path, ignore_errors=True)
        shutil.rmtree(settings.check_results, ignore_errors=True)
        forget_published(settings.warehouse)
    import time

    import dagster as dg

    from ittisal.store.progress import reporting
    from pipelines.progress import TerminalProgress, run_summary

    started = time.monotonic()
    with reporting(TerminalProgress(sys.stderr)):
        result = execute_landing_job(settings, args.log_level)
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
        _show(settings.warehouse, args.show)
    return 0


def _show(warehouse: Path, table: str) -> None:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {name for (name,) in con.execute("show tables").fetchall()}
        if table not in tables:
            print(f"no table {table!r}; the warehouse has: {', '.join(sorted(tables))}",
                  file=sys.stderr)
            return
        print(f"\n{table}:")
        print(con.sql(f'select * from "{table}"'))
    finally:
        con.close()


def cmd_samples(args: argparse.Namespace) -> int:
    """Copy the bundled sample articles into landing/ (existing files are replaced)."""
    settings = Settings.from_env()
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
        print("ittisal eval: give either GOLD.jsonl or --corpus DIR", file=sys.stderr)
        return 2
    if args.gold:
        print(evaluate_warehouse(Settings.from_env().warehouse, Path(args.gold)).report())
        return 0
    from pipelines.evaluate import evaluate_corpus

    evaluations = evaluate_corpus(Path(args.corpus), Path(args.work) if args.work else None,
                                  log=lambda line: print(line, file=sys.stderr))
    print(json.dumps(summary_json(evaluations), indent=2) if args.json
          else summary_table(evaluations))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from pipelines.bench import bench_long_record, bench_models, profile_text, run_bench

    if args.long_record:
        sizes = [int(x) for x in args.long_record.split(",")]
        print(json.dumps(bench_long_record(sizes, Path(args.corpus)), indent=2))
        return 0
    if args.profile:
        print(json.dumps(profile_text(args.profile, Path(args.corpus)), indent=2))
        return 0
    if args.model_mentions:
        print(json.dumps(bench_models(args.model_mentions), indent=2))
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    print(run_bench(sizes, Path(args.corpus), args.workers,
                    Path(args.json) if args.json else None, args.scaling))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ittisal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="process whatever is pending in landing/")
    run.add_argument("--full-refresh", action="store_true",
                     help="drop the lake, quarantine and cached check results first, "
                          "re-process every landed file and rebuild the warehouse")
    run.add_argument("--wait", action="store_true", help="wait for a concurrent run to end")
    run.add_argument("--show", metavar="TABLE", help="print a warehouse table afterwards")
    run.add_argument("--log-level", default="WARNING", help="Dagster console log level")
    run.set_defaults(func=cmd_run)
    sub.add_parser("samples", help="land the bundled sample articles").set_defaults(
        func=cmd_samples)
    ui = sub.add_parser("ui", help="start the Dagster UI for this project")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    ev = sub.add_parser("eval", help="compare the warehouse with a gold file, or run and "
                        "score every set of a corpus folder (--corpus)")
    ev.add_argument("gold", nargs="?", help="score the current warehouse against this file")
    ev.add_argument("--corpus", metavar="DIR",
                    help="instead: land each set of DIR (seeds, dev, dev2 tune, dev2 check) in "
                         "its own temporary home, run the pipeline, score, print one table")
    ev.add_argument("--work", metavar="DIR",
                    help="with --corpus: keep each set's home under DIR (default: removed)")
    ev.add_argument("--json", action="store_true", help="with --corpus: every score as JSON")
    ev.set_defaults(func=cmd_eval)
    bench = sub.add_parser("bench", help="measure throughput on synthetic corpora")
    bench.add_argument("--sizes", default="1000,10000,100000")
    bench.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"),
                       help="real articles to assemble synthetic ones from")
    bench.add_argument("--workers", type=int, default=1)
    bench.add_argument("--json", help="also write the results here")
    bench.add_argument("--scaling", action="store_true",
                       help="also time the text layer with one worker, for the speed-up ratio")
    bench.add_argument("--profile", type=int, default=0, metavar="N",
                       help="instead: milliseconds an article per text function over N articles")
    bench.add_argument("--long-record", metavar="SIZES",
                       help="instead: seconds per text stage on one record of each size in "
                            "characters (corpus articles joined), e.g. 12500,50000,100000,400000")
    bench.add_argument("--model-mentions", type=int, default=0,
                       help="instead: time the SQL models over this many synthetic mentions")
    bench.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
