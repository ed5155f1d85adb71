"""`ittisal ui` as a process: a busy port is refused before anything starts, and a stop
signal (SIGTERM from a supervisor, SIGINT from Ctrl-C) ends it with every process it started,
without a traceback. The schedule and the sensor are on without anyone switching them on."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.ui import children
from tests.conftest import REPO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _in_session(session: int) -> list[int]:
    """Living processes of the session `session` (a process started with its own session
    keeps that id, and so do its children, even after their parent is gone)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, _ppid, _pgrp, sid = stat[stat.rindex(")") + 2:].split()[:4]
            if int(sid) == session and state != "Z":
                found.append(int(entry.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    left = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            left.add(pid)
    return left


def _ui(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "ui", "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def test_a_busy_port_is_refused_in_one_line_before_anything_starts(home):
    port = _free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        ui = _ui(home, port)
        out, err = ui.communicate(timeout=60)
    assert ui.returncode == 1
    assert err.splitlines() == [f"ittisal ui: port {port} on 127.0.0.1 is already in use; "
                                "choose another with --port"]
    assert out == ""
    assert _in_session(ui.pid) == []  # no daemon or webserver left behind
    assert not (home / "dagster").exists()  # not even the instance was touched


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql",
                                     data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


STATES = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
    schedules { name scheduleState { status } } sensors { name sensorState { status } } } } } }"""


def _states(port: int) -> dict[str, str] | None:
    try:
        [repo] = _graphql(port, STATES)["repositoriesOrError"]["nodes"]
    except (OSError, KeyError, TypeError, ValueError):
        return None
    return {**{s["name"]: s["scheduleState"]["status"] for s in repo["schedules"]},
            **{s["name"]: s["sensorState"]["status"] for s in repo["sensors"]}}


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_ends_the_ui_and_every_process_it_started(home, stop):
    port = _free_port()
    ui = _ui(home, port)
    try:
        # the first line says it is up (read with a deadline: the UI may die instead)
        ready = threading.Timer(180, ui.kill)
        ready.start()
        first = ui.stdout.readline()
        ready.cancel()
        assert first == f"ittisal ui: serving http://127.0.0.1:{port} (Ctrl-C to stop)\n"
        deadline = time.monotonic() + 60
        while (states := _states(port)) is None and time.monotonic() < deadline:
            time.sleep(1)
        # on out of the box: no one switched them on in this fresh instance
        assert states == {"daily_refresh": "RUNNING", "landing_sensor": "RUNNING"}
        # the instance's settings keep the community pop-up off the first page
        assert _graphql(port, "{ shouldShowNux }") == {"shouldShowNux": False}
        started = children(ui.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                    for pid in started if Path(f"/proc/{pid}/cmdline").exists()]
        assert any(b"dagster dev" in c for c in commands)
        assert any(b"dagster_webserver" in c for c in commands)
        assert any(b"dagster._daemon" in c for c in commands)
        ui.send_signal(stop)
        out, err = ui.communicate(timeout=90)
    finally:
        if ui.poll() is None:
            os.killpg(ui.pid, signal.SIGKILL)
            ui.wait()
    assert ui.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    # nothing else: no supersession warning, banner or log line of each sensor tick
    assert out == ""
    assert err.splitlines() == ["ittisal ui: stopping Dagster"]
    assert _alive(started) == set()
    with socket.socket() as s:  # the port is free again
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))


def test_the_schedule_is_on_by_default():
    import dagster as dg

    from pipelines.definitions import defs

    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert defs.resolve_sensor_def("landing_sensor").default_status == (
        dg.DefaultSensorStatus.RUNNING)
