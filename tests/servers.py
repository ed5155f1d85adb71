"""Loopback servers for the production-profile test: Debian's PostgreSQL in a temporary
cluster, and an S3-compatible server (moto) that counts the requests it answers."""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class Unavailable(RuntimeError):
    """A server that cannot start here, with the reason (the test skips on it, or fails in CI)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL server programs (the newest installed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise Unavailable("Debian's postgresql is not installed (apt-get install postgresql)")


@contextlib.contextmanager
def postgres(root: Path, user: str = "dagster", db: str = "dagster") -> Iterator[int]:
    """A throw-away PostgreSQL cluster under `root` on 127.0.0.1, trusting local logins;
    yields its port. The server refuses to run as root, so root runs it as `postgres`."""
    bindir = _postgres_bin()
    as_user: list[str] = []
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            raise Unavailable("running as root without runuser to start postgres as another user")
        try:
            shutil.chown(root, "postgres")
        except (LookupError, PermissionError) as exc:
            raise Unavailable(f"no postgres user to run the server as: {exc}") from None
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()

    def run(*argv: str) -> None:
        done = subprocess.run([*as_user, *argv], capture_output=True, text=True, timeout=60)
        if done.returncode:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise Unavailable(f"{Path(argv[0]).name} failed: {tail[0]}")

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "--no-sync",
        "-E", "UTF8")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-o",
        f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off", "start")
    try:
        run(str(bindir / "createdb") if (bindir / "createdb").exists()
            else shutil.which("createdb") or "createdb",
            "-h", "127.0.0.1", "-p", str(port), "-U", user, db)
        yield port
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                        "stop"], capture_output=True, timeout=60)


@dataclass
class RequestLog:
    """The requests an S3 server answered, as (method, path) pairs."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mark(self) -> int:
        with self.lock:
            return len(self.requests)

    def since(self, mark: int) -> list[tuple[str, str]]:
        with self.lock:
            return list(self.requests[mark:])


@contextlib.contextmanager
def s3_server() -> Iterator[tuple[str, RequestLog]]:
    """moto's S3-compatible server on 127.0.0.1 in a thread of this process; yields its
    endpoint URL and the log of every request it answered."""
    try:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server
    except ImportError as exc:
        raise Unavailable(f"moto[server] is not installed ({exc}); it is in the deploy-test "
                          "extra") from None
    log = RequestLog()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    app = DomainDispatcherApplication(create_backend_app)

    def counting(environ, start_response):
        with log.lock:
            log.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, counting, threaded=True,
                         request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        thread.join(timeout=10)
