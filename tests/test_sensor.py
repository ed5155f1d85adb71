"""The landing sensor over a real home: every different piece of work gets a run key never
used before, even when the landing returns to an earlier state; nothing new requests nothing."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from tests.conftest import SEEDS


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


@pytest.fixture
def tick(home, instance):
    """Evaluate the sensor as the daemon does: each tick gets the cursor the last one left,
    and the partitions it adds or deletes are applied to the instance."""
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("landing_sensor")
    cursor: list[str | None] = [None]

    def _tick() -> dg.SensorResult:
        with dg.build_sensor_context(resources=defs.resources, cursor=cursor[0],
                                     instance=instance) as ctx:
            result = sensor(ctx)
            cursor[0] = ctx.cursor
        for request in result.dynamic_partitions_requests or []:
            if isinstance(request, dg.AddDynamicPartitionsRequest):
                instance.add_dynamic_partitions(request.partitions_def_name,
                                                request.partition_keys)
            else:
                for key in request.partition_keys:
                    instance.delete_dynamic_partition(request.partitions_def_name, key)
        return result

    return _tick


def _ingest() -> None:
    """Bring `raw_documents` (the table the sensor compares with landing/) up to date, as the
    run the sensor asked for would."""
    from assets.documents import LOCAL_DOCUMENT_ASSETS
    from pipelines.definitions import defs

    [raw_documents] = [a for a in LOCAL_DOCUMENT_ASSETS if a.key.to_user_string() ==
                       "raw_documents"]
    assert dg.materialize([raw_documents], resources=defs.resources).success


def _request(result: dg.SensorResult, used: set[str]) -> str:
    """The key of a run the tick asked for, which must be new."""
    [request] = result.run_requests
    assert request.run_key not in used
    used.add(request.run_key)
    return request.run_key


def _skipped(result: dg.SensorResult) -> bool:
    return not result.run_requests and result.skip_reason is not None


def test_land_remove_land_again_and_edit_revert_each_get_a_new_run_key(home, tick):
    page = home / "landing" / "a.txt"
    used: set[str] = set()
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", page)
    _request(tick(), used)
    _ingest()
    assert _skipped(tick())
    assert _skipped(tick())  # two ticks with nothing new: no run

    page.unlink()
    _request(tick(), used)
    _ingest()
    assert _skipped(tick())

    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", page)  # the same file lands again
    _request(tick(), used)
    _ingest()
    assert _skipped(tick())

    original = page.read_bytes()
    page.write_text("وزير الخارجية", encoding="utf-8")
    _request(tick(), used)
    _ingest()
    page.write_bytes(original)  # the edit is reverted
    _request(tick(), used)
    _ingest()
    assert _skipped(tick())


def test_a_tick_while_the_requested_run_has_not_started_repeats_its_key(home, tick):
    """The same pending work asks again under the same key, so Dagster runs it once."""
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", home / "landing" / "a.txt")
    first, second = tick(), tick()
    assert second.run_requests[0].run_key == first.run_requests[0].run_key


def _keys(instance) -> list[str]:
    from assets.partitions import LANDED_FILES

    return list(instance.get_dynamic_partitions(LANDED_FILES.name))


def test_partitions_follow_landing_and_the_run_is_for_the_new_files(home, tick, instance):
    """One partition per landed file, named by its part; a run for the new files only (the
    span of the pending ones, in the partitions' order), and the partitions of removed files
    deleted with the run that deletes their parts."""
    from ittisal.store.landing import discover

    landing = home / "landing"
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", landing / "a.txt")
    shutil.copy(SEEDS / "003_a5a209529da96ff8.txt", landing / "b.txt")
    first = tick()
    parts = [f.part for f in discover(landing)]
    assert _keys(instance) == parts
    tags = first.run_requests[0].tags
    assert (tags["dagster/asset_partition_range_start"],
            tags["dagster/asset_partition_range_end"]) == (parts[0], parts[1])
    _ingest()
    assert _skipped(tick()) and _keys(instance) == parts

    shutil.copy(SEEDS / "002_8ed349425e4bec21.txt", landing / "c.txt")
    (landing / "a.txt").unlink()
    result = tick()
    [a, b, c] = parts + [f.part for f in discover(landing) if f.relpath == "c.txt"]
    # a's partition stays for the run that deletes its parts, which spans a to c
    assert _keys(instance) == [a, b, c]
    tags = result.run_requests[0].tags
    assert (tags["dagster/asset_partition_range_start"],
            tags["dagster/asset_partition_range_end"]) == (a, c)
    _ingest()
    assert _skipped(tick()) and _keys(instance) == [b, c]

    for name in ("b.txt", "c.txt"):  # landing/ emptied: the run is for the last partitions
        (landing / name).unlink()
    tags = tick().run_requests[0].tags
    assert _keys(instance) == [b, c]
    assert (tags["dagster/asset_partition_range_start"],
            tags["dagster/asset_partition_range_end"]) == (b, c)
    _ingest()
    assert _skipped(tick()) and _keys(instance) == []


def test_the_daily_schedule_runs_every_partition(home):
    from ittisal.store.landing import discover
    from pipelines.definitions import defs

    schedule = defs.resolve_schedule_def("daily_refresh")
    (home / "dagster").mkdir()  # a schedule's context needs an instance on disk
    instance = dg.DagsterInstance.get()

    def evaluate():
        with dg.build_schedule_context(instance=instance, resources=defs.resources) as ctx:
            return schedule.evaluate_tick(ctx)

    assert evaluate().skip_message  # nothing landed: no partition to run for
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", home / "landing" / "a.txt")
    shutil.copy(SEEDS / "003_a5a209529da96ff8.txt", home / "landing" / "b.txt")
    [request] = evaluate().run_requests
    parts = [f.part for f in discover(home / "landing")]
    assert _keys(instance) == parts
    assert (request.tags["dagster/asset_partition_range_start"],
            request.tags["dagster/asset_partition_range_end"]) == (parts[0], parts[-1])
