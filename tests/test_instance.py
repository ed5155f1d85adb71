"""The Dagster instance of a home stays bounded: ticks are purged by the settings the project
writes, and runs beyond the kept number are deleted with their event and captured logs."""

from __future__ import annotations

import dagster as dg

from pipelines import instance as dagster_instance
from pipelines.cli import main


def test_the_instance_settings_purge_every_kind_of_tick(home):
    from dagster._core.definitions.run_request import InstigatorType

    assert main(["run"]) == 0
    with dg.DagsterInstance.get() as instance:
        for kind in (InstigatorType.SENSOR, InstigatorType.SCHEDULE):
            days = instance.get_tick_retention_settings(kind)
            assert days and all(0 < d <= 90 for d in days.values()), (kind, days)


def test_runs_beyond_the_kept_number_are_deleted_with_their_logs(home, monkeypatch):
    monkeypatch.setattr(dagster_instance, "KEEP_RUNS", 1)
    for _ in range(2):
        assert main(["run"]) == 0
    with dg.DagsterInstance.get() as instance:
        kept = [r.dagster_run.run_id for r in instance.get_run_records()]
    assert len(kept) == 1
    event_logs = {p.stem for p in (home / "dagster" / "history" / "runs").glob("*.db")}
    assert event_logs - {"index"} == set(kept)
    assert {p.name for p in (home / "dagster" / "storage").iterdir()} <= set(kept)


def test_settings_an_earlier_ittisal_wrote_are_updated_and_an_operators_are_kept(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    (ours / "dagster.yaml").write_text("# Written by ittisal: how long Dagster keeps ticks.\n"
                                       "retention:\n  schedule:\n    purge_after_days: 90\n")
    (theirs / "dagster.yaml").write_text("telemetry:\n  enabled: true\n")
    for home in (ours, theirs):
        dagster_instance.write_instance_settings(home)
    assert (ours / "dagster.yaml").read_text() == dagster_instance.instance_settings()
    assert "telemetry:\n  enabled: false" in (ours / "dagster.yaml").read_text()
    assert "nux:\n  enabled: false" in (ours / "dagster.yaml").read_text()
    assert (theirs / "dagster.yaml").read_text() == "telemetry:\n  enabled: true\n"
