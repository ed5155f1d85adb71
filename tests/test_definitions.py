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


def test_the_module_holds_one_definitions_object():
    """Dagster refuses to load a module with two at module scope (the UI then never loads)."""
    import dagster as dg

    import pipelines.definitions as module

    assert [v for v in vars(module).values() if isinstance(v, dg.Definitions)] == [module.defs]


def test_definitions_hold_the_job_schedule_and_sensor():
    from pipelines.definitions import defs

    assert defs.resolve_job_def("process_landing")
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 3 * * *"
    assert defs.resolve_sensor_def("landing_sensor")


def test_no_step_name_repeats_its_asset_name():
    """Dagster names a check's step after its asset and the check: a check named after its
    asset too gave steps such as `raw_documents_raw_documents_unique_source_id`."""
    from pipelines.definitions import defs

    steps = {n.name for n in defs.resolve_job_def("process_landing").graph.node_defs}
    checks = defs.resolve_asset_graph().asset_check_keys
    assert {f"{k.asset_key.to_user_string()}_{k.name}" for k in checks} <= steps
    for key in checks:
        assert not key.name.startswith(key.asset_key.to_user_string()), key
    assert not any(step.count(asset) > 1 for step in steps
                   for asset in ("raw_documents", "event_mentions", "calls_by_country_by_day"))


def _step_pid() -> int:
    return os.getpid()


def _pid_job():
    """A job of two steps on production's executor, each giving the process it ran in."""
    import dagster as dg

    from pipelines.resources import PRODUCTION_EXECUTOR

    @dg.op
    def first() -> int:
        return _step_pid()

    @dg.op
    def second(_after: int) -> int:
        return _step_pid()

    @dg.job(executor_def=PRODUCTION_EXECUTOR)
    def pids():
        second(first())

    return pids


def test_production_runs_a_run_in_one_process_unless_its_config_asks_for_more(tmp_path):
    """A process per step costs seconds each (`ittisal bench --executors`): production's
    default is one process per run, and a run config may still choose `multiprocess`."""
    import dagster as dg

    from pipelines.resources import PRODUCTION_EXECUTOR, executor_for

    assert executor_for("production") is PRODUCTION_EXECUTOR
    job = dg.reconstructable(_pid_job)
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        with dg.execute_job(job, instance) as result:
            assert result.success
            assert {result.output_for_node(n) for n in ("first", "second")} == {os.getpid()}
        config = {"execution": {"config": {"multiprocess": {}}}}
        with dg.execute_job(job, instance, run_config=config) as result:
            assert result.success
            pids = {result.output_for_node(n) for n in ("first", "second")}
            assert os.getpid() not in pids and len(pids) == 2
