"""The code location loads, and its asset graph is what the snapshot says.

An accidental change to the graph (a renamed table, a lost dependency, a SQL model reading a
new table) shows up as a diff of tests/snapshots/asset_graph.txt in review. After an intended
change, regenerate it with `ITTISAL_UPDATE_SNAPSHOTS=1 pytest tests/test_definitions.py`.
"""

import os

from tests.conftest import REPO

SNAPSHOT = REPO / "tests" / "snapshots" / "asset_graph.txt"


def graph_text() -> str:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        deps = ", ".join(sorted(k.to_user_string() for k in node.parent_keys))
        lines.append(f"{key.to_user_string()} [{node.group_name}] <- {deps}")
    return "\n".join(lines) + "\n"


def test_asset_graph_matches_snapshot():
    text = graph_text()
    if os.environ.get("ITTISAL_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8")


def test_definitions_hold_the_job_schedule_and_sensor():
    from pipelines.definitions import defs

    assert defs.resolve_job_def("process_landing")
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 3 * * *"
    assert defs.resolve_sensor_def("landing_sensor")
