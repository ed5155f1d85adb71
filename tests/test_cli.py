"""The CLI's refusals and notes: each mistake is one line on stderr and exit 2, said before any
work (nothing written), and a set-up that would silently succeed says where it is."""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ittisal.settings import LOCATION_VARIABLES
from pipelines.cli import _parser, main
from pipelines.interrupt import GRACE, AfterInterrupt, SigintWatch
from tests.conftest import CORPUS, REPO, SEEDS, query_warehouse

LOCATIONS = ("ITTISAL_HOME", *LOCATION_VARIABLES)


@pytest.fixture
def place(tmp_path, monkeypatch) -> Path:
    """An empty current folder, no ittisal variable set, Dagster's home inside it."""
    monkeypatch.chdir(tmp_path)
    for var in (*LOCATIONS, "ITTISAL_ENV", "ITTISAL_WORKERS", "ITTISAL_DUCKDB_MEMORY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    return tmp_path


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def _refused(place: Path, argv: list[str], capsys) -> str:
    """Run `argv`; it must exit 2 with one line on stderr, nothing on stdout, and leave the
    folder as it was. Returns the line."""
    before = _tree(place)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert out == "" and err.count("\n") == 1, err
    assert _tree(place) == before
    return err.strip()


def test_a_home_that_is_a_file_is_refused_by_every_command(place, monkeypatch, capsys):
    (place / "notes.txt").write_text("not a home")
    monkeypatch.setenv("ITTISAL_HOME", str(place / "notes.txt"))
    for argv in (["run"], ["samples"], ["eval", str(SEEDS / "seeds.gold.jsonl")]):
        line = _refused(place, argv, capsys)
        assert line == (f"ittisal {argv[0]}: ITTISAL_HOME={place / 'notes.txt'} is a file; it "
                        "must be a folder (or not exist yet)")
    monkeypatch.setenv("ITTISAL_HOME", str(place / "notes.txt" / "home"))
    assert "which is a file" in _refused(place, ["samples"], capsys)
    monkeypatch.setenv("ITTISAL_HOME", str(place / "home"))
    monkeypatch.setenv("ITTISAL_LANDING", str(place / "notes.txt"))
    assert "ITTISAL_LANDING=" in _refused(place, ["run"], capsys)
    monkeypatch.delenv("ITTISAL_LANDING")
    monkeypatch.setenv("ITTISAL_WAREHOUSE", str(place))
    assert f"ITTISAL_WAREHOUSE={place} is a folder" in _refused(place, ["run"], capsys)
    monkeypatch.setenv("ITTISAL_WAREHOUSE", str(place / "notes.txt" / "w.duckdb"))
    assert _refused(place, ["run"], capsys) == (
        f"ittisal run: ITTISAL_WAREHOUSE={place / 'notes.txt' / 'w.duckdb'} is under "
        f"{place / 'notes.txt'}, which is a file, not a folder")


def test_eval_without_a_warehouse_or_gold_file_says_which(place, monkeypatch, capsys):
    monkeypatch.setenv("ITTISAL_HOME", str(place / "home"))
    gold = place / "gold.jsonl"
    assert _refused(place, ["eval", str(gold)], capsys) == f"ittisal eval: no gold file {gold}"
    shutil.copy(SEEDS / "seeds.gold.jsonl", gold)
    assert _refused(place, ["eval", str(gold)], capsys) == (
        f"ittisal eval: no warehouse at {place / 'home' / 'warehouse.duckdb'} "
        f"(ITTISAL_HOME={place / 'home'}); `ittisal run` builds it from the landed files")
    gold.write_text('{"id": "a", "events": []}\n{"id": oops}\n')
    assert _refused(place, ["eval", str(gold)], capsys) == f"ittisal eval: {gold} line 2: not JSON"
    gold.write_bytes(b'{"id": "\xff"}\n')
    assert _refused(place, ["eval", str(gold)], capsys) == f"ittisal eval: {gold} is not UTF-8 text"
    assert "give either GOLD.jsonl or --corpus" in _refused(place, ["eval"], capsys)
    assert "--corpus: no folder" in _refused(place, ["eval", "--corpus", "nowhere"], capsys)
    assert "go with --corpus" in _refused(place, ["eval", str(gold), "--json"], capsys)
    (place / "work").write_text("")
    assert "--work: work is a file" in _refused(
        place, ["eval", "--corpus", str(CORPUS), "--work", "work"], capsys)


def test_eval_of_a_warehouse_duckdb_cannot_read_is_one_line(place, monkeypatch, capsys):
    warehouse = place / "warehouse.duckdb"
    warehouse.write_bytes(b"not a database")
    monkeypatch.setenv("ITTISAL_WAREHOUSE", str(warehouse))
    line = _refused(place, ["eval", str(SEEDS / "seeds.gold.jsonl")], capsys)
    assert line.startswith(f"ittisal eval: cannot read the warehouse {warehouse} (IO Error")
    assert line.endswith("`ittisal run` rebuilds it")


def test_a_log_level_that_is_none_is_refused(place, capsys):
    line = _refused(place, ["run", "--log-level", "foo"], capsys)
    assert line.startswith("ittisal run: argument --log-level: 'foo' is not one of DEBUG, INFO")


def test_production_without_a_location_names_the_missing_variable(place, monkeypatch, capsys):
    monkeypatch.setenv("ITTISAL_ENV", "production")
    for var in LOCATIONS:
        monkeypatch.setenv(var, str(place / var.lower()))
    monkeypatch.delenv("ITTISAL_LAKE")
    line = _refused(place, ["run"], capsys)
    assert line.startswith("ittisal run: ITTISAL_ENV=production needs ITTISAL_LAKE set")
    assert "ITTISAL_HOME" not in line


@pytest.mark.parametrize("env", ["local", "production"])
def test_a_warehouse_in_object_storage_is_refused_before_anything_is_made(place, monkeypatch,
                                                                          capsys, env):
    monkeypatch.setenv("ITTISAL_ENV", env)
    for var in LOCATIONS:
        monkeypatch.setenv(var, str(place / var.lower()))
    monkeypatch.setenv("ITTISAL_LAKE", "s3://bucket/lake")
    monkeypatch.setenv("ITTISAL_WAREHOUSE", "s3://bucket/warehouse.duckdb")
    line = _refused(place, ["run"], capsys)
    assert line.startswith("ittisal run: ITTISAL_WAREHOUSE=s3://bucket/warehouse.duckdb is a "
                           "URI"), line
    assert not (place / "s3:").exists()


def test_an_unknown_profile_is_refused_listing_the_known_ones(place, monkeypatch, capsys):
    monkeypatch.setenv("ITTISAL_ENV", "prod")
    for argv in (["run"], ["samples"], ["bench", "--profile", "5"],
                 ["eval", "--corpus", str(CORPUS)]):
        assert _refused(place, argv, capsys) == (
            f"ittisal {argv[0]}: unknown ITTISAL_ENV='prod'; the known profiles are local, "
            "production")


def test_ui_with_an_unknown_profile_exits_before_starting_dagster(place):
    env = {**os.environ, "ITTISAL_ENV": "prod"}
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "ui", "--port", "1"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == ("ittisal ui: unknown ITTISAL_ENV='prod'; the known profiles are "
                           "local, production\n")


def test_show_of_a_table_that_is_not_one_is_refused_before_the_run(place, monkeypatch, capsys):
    home = place / "home"
    (home / "landing").mkdir(parents=True)
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", home / "landing")
    monkeypatch.setenv("ITTISAL_HOME", str(home))
    line = _refused(place, ["run", "--show", "nonexistent"], capsys)
    assert line.startswith("ittisal run: --show: no table 'nonexistent'; the warehouse tables "
                           "are article_clusters, ")
    assert "calls_by_country_by_day" in line and "raw_documents" in line


def test_a_number_setting_that_is_not_one_is_refused(place, monkeypatch, capsys):
    monkeypatch.setenv("ITTISAL_WORKERS", "two")
    assert _refused(place, ["samples"], capsys) == (
        "ittisal samples: ITTISAL_WORKERS='two' is not a whole number")
    monkeypatch.delenv("ITTISAL_WORKERS")
    monkeypatch.setenv("ITTISAL_DUCKDB_MEMORY", "lots")
    assert _refused(place, ["samples"], capsys) == (
        "ittisal samples: ITTISAL_DUCKDB_MEMORY='lots' is not a memory size DuckDB reads "
        "(e.g. 512MB, 2GB)")


def test_numbers_on_the_command_line_are_checked_by_the_parser(place, capsys):
    assert "'70000' is not a port" in _refused(place, ["ui", "--port", "70000"], capsys)
    assert "'0' is not a whole number of at least 1" in _refused(
        place, ["bench", "--workers", "0"], capsys)


def test_bench_starts_nothing_without_sizes(place, capsys):
    assert _refused(place, ["bench"], capsys).startswith(
        "ittisal bench: say what to measure: --sizes 1000,10000")
    assert "positive whole numbers" in _refused(place, ["bench", "--sizes", "1000,ten"], capsys)
    assert "positive whole numbers" in _refused(place, ["bench", "--sizes", "0"], capsys)


def test_a_run_from_a_folder_without_a_home_creates_nothing(place, capsys):
    line = _refused(place, ["run"], capsys)
    assert line.startswith(f"ittisal run: nothing to process: no landing folder "
                           f"{place / 'data' / 'landing'} (home {place / 'data'}, ITTISAL_HOME "
                           "is not set: ./data of the current folder)")
    assert "`ittisal samples`" in line


def test_the_entry_point_refuses_without_a_traceback(place):
    (place / "home").write_text("")
    env = {**os.environ, "ITTISAL_HOME": str(place / "home")}
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "is a file" in done.stderr


def test_samples_from_another_folder_says_where_the_new_home_is(place, capsys):
    assert main(["samples"]) == 0
    err = capsys.readouterr().err
    assert err == (f"ittisal samples: new ittisal home at {place / 'data'} (ITTISAL_HOME is not "
                   "set: ./data of the current folder)\n")
    assert len(list((place / "data" / "landing" / "samples").glob("*.txt"))) == 5
    assert main(["samples"]) == 0
    assert capsys.readouterr().err == ""  # the home exists now: nothing to say


def test_ui_says_where_it_creates_a_new_home_before_starting(place, capsys):
    """The note is said by the checks `main` makes before the UI starts; they make nothing."""
    from pipelines.cli import _ui_preflight

    _ui_preflight()
    assert capsys.readouterr().err == (
        f"ittisal ui: new ittisal home at {place / 'data'} (ITTISAL_HOME is not set: ./data of "
        "the current folder)\n")
    assert _tree(place) == []


def test_a_run_on_an_empty_landing_says_so_and_how_to_fill_it(home, capsys):
    assert main(["run"]) == 0
    err = capsys.readouterr().err
    assert (f"ittisal run: the landing folder {home / 'landing'} is empty" in err
            and "`ittisal samples`" in err)


def test_eval_scores_only_the_gold_s_articles_and_says_how_many_it_found(home, capsys):
    """The seeds' table is exactly their gold table (README); the dev feed's calls in the
    same warehouse are not the seeds gold's to judge, so they are no false rows."""
    assert main(["samples"]) == 0
    shutil.copy(CORPUS / "dev" / "articles.jsonl", home / "landing" / "dev.jsonl")
    assert main(["run"]) == 0
    capsys.readouterr()
    assert main(["eval", str(SEEDS / "seeds.gold.jsonl")]) == 0
    out, err = capsys.readouterr()
    assert err == ("scored the 5 of the gold's 5 articles found in the warehouse; 37 other "
                   "articles there are not scored\n")
    table = re.search(r"^calls_by_country_by_day rows .*\(tp=(\d+) fp=(\d+) fn=(\d+)\)$", out,
                      re.M)
    tp, fp, fn = map(int, table.groups())
    assert (fp, fn) == (0, 0) and tp == 7
    # the warehouse's own table holds the dev feed's rows too: scored whole, they were false
    [(rows,)] = query_warehouse(home, "select count(*) from calls_by_country_by_day")
    assert rows > tp + 10

    dev2 = CORPUS / "dev2" / "tune" / "gold.jsonl"
    assert main(["eval", str(dev2)]) == 2
    assert capsys.readouterr().err == (
        f"ittisal eval: none of the 95 articles of {dev2} is in the warehouse "
        f"{home / 'warehouse.duckdb'}; land them and `ittisal run` first\n")


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_option_has_help_and_says_its_default():
    for name, parser in _subparsers().items():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, (name, action.dest)
            if action.default not in (None, False) and action.option_strings:
                assert "%(default)s" in action.help, (name, action.dest)


def test_version_names_the_package_and_the_pipeline_fingerprint(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"ittisal \d+\.\d+\.\d+ \(pipeline [0-9a-f]{16}\)\n",
                        capsys.readouterr().out)


def test_make_help_lists_every_target():
    done = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True,
                          check=True)
    targets = [line.split()[1] for line in done.stdout.splitlines()]
    assert targets == ["help", "install", "demo", "test", "ui", "clean"]
    bare = subprocess.run(["make", "-s"], cwd=REPO, capture_output=True, text=True, check=True)
    assert bare.stdout == done.stdout  # a bare `make` explains, it installs nothing


def test_make_clean_deletes_only_what_the_repo_generates(tmp_path):
    """On a copy of the Makefile in a scratch repo: the demo home's derived files, build/ and
    caches go; the samples, the landed input, the sources, .venv and another ITTISAL_HOME
    stay."""
    repo = tmp_path / "repo"
    keep = ["Makefile", "data/samples/a.txt", "data/landing/mine.txt", "pipelines/cli.py",
            ".venv/lib/x/__pycache__/y.pyc", "notes.txt"]
    drop = ["data/warehouse.duckdb", "data/.state/checks/x", "data/lake/t/p.parquet",
            "data/dagster/dagster.yaml", "build/screenshots/a.png", ".pytest_cache/v",
            "pipelines/__pycache__/cli.pyc", "ittisal.egg-info/PKG-INFO"]
    for name in keep + drop:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x")
    shutil.copy(REPO / "Makefile", repo / "Makefile")
    elsewhere = tmp_path / "home" / "warehouse.duckdb"
    elsewhere.parent.mkdir()
    elsewhere.write_text("x")
    env = {**os.environ, "ITTISAL_HOME": str(elsewhere.parent)}
    subprocess.run(["make", "-s", "clean"], cwd=repo, env=env, check=True)
    assert all((repo / name).exists() for name in keep)
    assert not any((repo / name).exists() for name in drop)
    assert sorted(p.name for p in (repo / "data").iterdir()) == ["landing", "samples"]
    assert elsewhere.exists()


def test_ctrl_c_during_a_run_is_one_line_and_exit_130_and_the_next_run_finishes(home):
    """SIGINT to the run's process group, as a terminal's Ctrl-C sends it (Dagster's helper
    processes get it too), once the first stage has started."""
    articles = [CORPUS / "dev" / "articles.jsonl", CORPUS / "dev2" / "tune" / "articles.jsonl"]
    for i, path in enumerate(articles):
        shutil.copy(path, home / "landing" / f"feed-{i}.jsonl")
    landed = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in articles)
    env = {**os.environ, "ITTISAL_WORKERS": "1"}  # the default; workers: see interrupt.py
    run = [sys.executable, "-m", "pipelines.cli", "run"]
    proc = subprocess.Popen(run, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    first = proc.stderr.readline()
    assert first == "[raw_documents] 2 parts to compute, 0 unchanged\n", first
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert out == ""
    *progress, last = err.splitlines()
    assert last == "ittisal run: interrupted; the next run finishes what this one started"
    assert all(line.startswith("[") for line in progress), err  # no traceback, no log
    assert "Traceback" not in err and "KeyboardInterrupt" not in err

    again = subprocess.run(run, cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert query_warehouse(home, "select count(*) from raw_documents") == [(landed,)]


def test_after_sigint_only_progress_lines_reach_the_terminal():
    out, now = io.StringIO(), [0.0]
    previous = signal.signal(signal.SIGINT, lambda *_: None)
    watch = SigintWatch()
    try:
        into = AfterInterrupt(out, watch, clock=lambda: now[0])
        into.feed("[a] 1/2 x: 1 row\n\r\x1b[K[b] [#-]")  # progress: at once
        into.feed(" 1/2")  # a bar's rest, cut by the pipe: at once
        assert out.getvalue() == "[a] 1/2 x: 1 row\n\r\x1b[K[b] [#-] 1/2"
        into.feed("\nsome warning\n[a] 2/2 y: 2 rows\n")  # held behind the warning
        assert out.getvalue().endswith("1/2\n")
        now[0] += GRACE
        into.tick()  # no SIGINT meanwhile: passed on, in order
        assert out.getvalue().endswith("1/2\nsome warning\n[a] 2/2 y: 2 rows\n")

        start = len(out.getvalue())
        into.feed("Traceback (most recent call last):\n  File \"w.py\", line 3\n")
        os.kill(os.getpid(), signal.SIGINT)  # seen after a helper's traceback began
        text = ("Traceback (most recent call last):\nKeyboardInterrupt\nKeyboardInterrupt\n"
                "[c] done: 1 part\n2026 - dagster - ERROR - RUN_FAILURE\n\r\x1b[K[b]")
        for i in range(0, len(text), 7):  # in pieces, as a pipe hands them over
            into.feed(text[i:i + 7])
        now[0] += GRACE
        into.tick()
        into.close()
        assert out.getvalue()[start:] == "[c] done: 1 part\n\r\x1b[K[b]"
    finally:
        watch.close()
        signal.signal(signal.SIGINT, previous)
