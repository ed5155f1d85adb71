"""The landing sensor over a real home: every different piece of work gets a run key never
used before, even when the landing returns to an earlier state; nothing new requests nothing."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from tests.conftest import SEEDS


@pytest.fixture
def tick(home):
    """Evaluate the sensor as the daemon does: each tick gets the cursor the last one left."""
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("landing_sensor")
    cursor: list[str | None] = [None]

    def _tick():
        with dg.build_sensor_context(resources=defs.resources, cursor=cursor[0]) as ctx:
            result = sensor(ctx)
            cursor[0] = ctx.cursor
        return result

    return _tick


def _ingest() -> None:
    """Bring `raw_documents` (the table the sensor compares with landing/) up to date, as the
    run the sensor asked for would."""
    from assets.documents import raw_documents
    from pipelines.definitions import defs

    assert dg.materialize([raw_documents], resources=defs.resources).success


def _request(result, used: set[str]) -> str:
    """The key of a run the tick asked for, which must be new."""
    assert isinstance(result, dg.RunRequest), result
    assert result.run_key not in used
    used.add(result.run_key)
    return result.run_key


def test_land_remove_land_again_and_edit_revert_each_get_a_new_run_key(home, tick):
    page = home / "landing" / "a.txt"
    used: set[str] = set()
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", page)
    _request(tick(), used)
    _ingest()
    assert isinstance(tick(), dg.SkipReason)
    assert isinstance(tick(), dg.SkipReason)  # two ticks with nothing new: no run

    page.unlink()
    _request(tick(), used)
    _ingest()
    assert isinstance(tick(), dg.SkipReason)

    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", page)  # the same file lands again
    _request(tick(), used)
    _ingest()
    assert isinstance(tick(), dg.SkipReason)

    original = page.read_bytes()
    page.write_text("وزير الخارجية", encoding="utf-8")
    _request(tick(), used)
    _ingest()
    page.write_bytes(original)  # the edit is reverted
    _request(tick(), used)
    _ingest()
    assert isinstance(tick(), dg.SkipReason)


def test_a_tick_while_the_requested_run_has_not_started_repeats_its_key(home, tick):
    """The same pending work asks again under the same key, so Dagster runs it once."""
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", home / "landing" / "a.txt")
    first, second = tick(), tick()
    assert isinstance(second, dg.RunRequest) and second.run_key == first.run_key
