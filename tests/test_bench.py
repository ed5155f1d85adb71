"""The benchmark's own measurements: what it reports exists and adds up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from ittisal.settings import LOCATION_VARIABLES
from ittisal.store.sqlmodels import SQL_DIR, load_models
from pipelines.bench import (
    _tree_rss_mb,
    anchor_ratios,
    bench_long_record,
    bench_models,
    bench_size,
    floor_coder,
    format_anchors,
    naive_coder,
    profile_text,
)
from tests.conftest import CORPUS


def test_the_profile_times_every_text_function_and_the_parts_fit_inside_events():
    profile = profile_text(30, CORPUS)
    assert set(profile) == {"parse", "clean", "language", "normalize", "tag", "events",
                            "  of which dates", "  of which triggers", "fingerprints"}
    assert all(ms > 0 for ms in profile.values())
    assert profile["  of which dates"] + profile["  of which triggers"] < profile["events"] * 1.5


def test_the_anchors_are_timed_side_by_side_and_the_floor_is_the_cheapest():
    [result] = anchor_ratios([30], CORPUS, repeats=2)
    ms = result["ms_per_article"]
    assert set(ms) == {"floor", "naive coder", "text functions", "stages"}
    assert 0 < ms["floor"] < ms["naive coder"] < ms["text functions"]
    assert ms["floor"] < ms["stages"]
    # the ratio of the unrounded figures; the printed ones are rounded to a microsecond
    assert result["stages_over_floor"] == pytest.approx(ms["stages"] / ms["floor"], rel=0.02)
    assert "stages/floor" in format_anchors([result]).splitlines()[0]


def test_the_floor_finds_the_gazetteer_s_names_and_the_naive_coder_its_contacts():
    line = json.dumps({"text": "أجرى الرئيس المصري اتصالاً هاتفياً مع نظيره الأردني. "
                               "وزار وزير الخارجية العراقي باريس. واتصل الرئيس التونسي أمس"})
    assert floor_coder([line]) == 9  # 4 titles, 4 demonyms and a city
    # a call (EGY, JOR) and a visit (IRQ, Paris: FRA); the last call names one state only
    assert naive_coder([line]) == 2


def test_the_long_record_bench_times_each_text_stage_on_one_record_of_each_size():
    short, long = bench_long_record([5000, 20000], CORPUS)
    assert (short["characters"], long["characters"]) == (5000, 20000)
    assert all(row[stage] > 0 for row in (short, long) for stage in ("parse", "dates", "tag",
                                                                     "events"))
    assert 0 < short["entity_mentions"] < long["entity_mentions"]


def test_the_model_bench_runs_every_model_over_synthetic_mentions():
    result = bench_models(3000)
    assert set(result["per_model"]) == {m.name for m in load_models(SQL_DIR)}
    assert 0 < result["events"] <= 3000


def test_peak_memory_counts_a_run_s_children():
    alone = _tree_rss_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c",
                              "import time; x = b\"x\" * 200_000_000; time.sleep(3)"])
    try:
        time.sleep(1.5)
        assert _tree_rss_mb(os.getpid()) > alone + 150
    finally:
        child.kill()
        child.wait()


@pytest.mark.slow
def test_a_bench_writes_only_in_its_own_homes_whatever_the_locations_say(tmp_path, monkeypatch):
    """A deployment's variables in the bench's environment: its landing, lake, quarantine and
    warehouse are never written (the stages used to land synthetic feeds in ITTISAL_LANDING),
    and its profile does not reach the bench's runs."""
    for var in LOCATION_VARIABLES:
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("ITTISAL_ENV", "production")
    result = bench_size(20, CORPUS, 1)
    assert result["end_to_end_seconds"] > 0 and result["add_1pct_seconds"] > 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_bench_of_one_feed_lands_one_file_that_its_batches_share(monkeypatch):
    monkeypatch.setenv("ITTISAL_BATCH_RECORDS", "10")
    result = bench_size(30, CORPUS, 2, scaling=True, one_feed=True)
    assert result["files"] == 1
    assert result["speedup"] > 0 and result["end_to_end_seconds"] > 0
