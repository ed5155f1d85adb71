"""`ittisal ui`: Dagster's webserver and daemon for this project, as one process a user (or a
supervisor) can stop.

`dagster dev` alone starts its daemon even when its webserver cannot have the port (then two
daemons fight over one instance), handles Ctrl-C but not SIGTERM, and prints a supersession
warning and every sensor tick. Here the port is tried first, one UI at a time may serve an
instance, `dagster dev` runs in a process group of its own that is told to stop (SIGINT, which
it handles) on Ctrl-C, SIGTERM or SIGHUP, and whatever of it outlives the wait is killed.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

UI_BUSY_EXIT = 75  # EX_TEMPFAIL: another `ittisal ui` serves this instance
PORT_BUSY_EXIT = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# how long `dagster dev` may take to stop its webserver and daemon before they are killed
STOP_SECONDS = 30
# `dagster dev` warns that `dg dev` supersedes it; `dg` is not a dependency of this project
QUIET_WARNINGS = "ignore:Function `dev_command` is superseded"


class _Stop(Exception):
    """Raised in the main thread by a stop signal."""


def port_refusal(host: str, port: int) -> str | None:
    """Why the webserver could not listen on `host:port`, or None when it can. Tried the way
    the webserver binds (address reuse on, so a port left in TIME_WAIT is free)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        return f"cannot resolve host {host!r}: {exc.strerror}"
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use"
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def children(pid: int) -> set[int]:
    """Every living descendant of `pid`, read from /proc (empty where there is none)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid …": comm may hold spaces and parentheses
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _announce_when_ready(host: str, port: int, stopping: threading.Event) -> None:
    """Print the address once the webserver answers (Dagster's own lines are kept quiet)."""
    while not stopping.is_set():
        try:
            with socket.create_connection((host, port), timeout=1):
                pass
        except OSError:
            stopping.wait(0.2)
            continue
        if not stopping.is_set():
            print(f"ittisal ui: serving http://{host}:{port} (Ctrl-C to stop)", flush=True)
        return


def serve(dagster_home: Path, workspace: Path, host: str, port: int) -> int:
    """Run the UI until it is stopped; returns the exit code."""
    lock = open(dagster_home / ".ui.lock", "w")  # held until the UI stops
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        print(f"ittisal ui: another `ittisal ui` is serving the instance in {dagster_home}; "
              "stop it first", file=sys.stderr)
        return UI_BUSY_EXIT
    previous = {s: signal.getsignal(s) for s in STOP_SIGNALS}

    def on_stop(signum: int, frame: object) -> None:
        for s in STOP_SIGNALS:  # once: a second Ctrl-C while stopping changes nothing
            signal.signal(s, signal.SIG_IGN)
        raise _Stop(signum)

    for s in STOP_SIGNALS:  # before the start, so no signal can leave Dagster behind
        signal.signal(s, on_stop)
    process: subprocess.Popen | None = None
    stopping = threading.Event()
    try:
        warnings = ",".join(w for w in (os.environ.get("PYTHONWARNINGS"), QUIET_WARNINGS) if w)
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", str(workspace), "-h", host,
             "-p", str(port), "--log-level", "warning"],
            cwd=workspace.parent, env={**os.environ, "PYTHONWARNINGS": warnings},
            start_new_session=True)
        threading.Thread(target=_announce_when_ready, args=(host, port, stopping),
                         daemon=True).start()
        code = process.wait()
        print(f"ittisal ui: Dagster stopped by itself (exit code {code})", file=sys.stderr)
        return code or 1
    except _Stop:
        print("ittisal ui: stopping Dagster", file=sys.stderr, flush=True)
        return 0
    finally:
        stopping.set()
        for s in STOP_SIGNALS:
            signal.signal(s, signal.SIG_IGN)
        if process is not None:
            _stop(process)
        for s, handler in previous.items():
            signal.signal(s, handler)
        lock.close()


def _stop(process: subprocess.Popen) -> None:
    """Stop `dagster dev` and everything it started: SIGINT to its group, then SIGKILL to
    whatever of it is still there after `STOP_SECONDS`."""
    left = children(process.pid)
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(process.pid, signal.SIGKILL)  # the group outlives its leader
    for pid in left | children(process.pid) | {process.pid}:  # and any that left the group
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def _signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass
