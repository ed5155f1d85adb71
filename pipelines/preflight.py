"""What a command checks before it does any work, so that a mistake in the command line or the
settings costs one line and an exit code, never a traceback or a half-made home.

Every check raises `UsageError` with the line to print; `pipelines.cli` prints it and exits
with `USAGE_EXIT`. Nothing here writes a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ittisal.settings import Settings, SettingsError

USAGE_EXIT = 2  # what argparse exits with on a bad option: one code for every refused command
T = TypeVar("T")


class UsageError(Exception):
    """A mistake the user can fix: said in one line, exit `USAGE_EXIT`, nothing written."""


def profile() -> None:
    """An `ITTISAL_ENV` that is a known profile: checked by every command, even those that run
    in homes of their own (`eval --corpus`, `bench`), since a typo is a mistake anywhere."""
    from pipelines.resources import ProfileError, profile_name

    try:
        profile_name()
    except ProfileError as exc:
        raise UsageError(str(exc)) from None


def settings() -> Settings:
    """The settings of this environment, with its profile (`ITTISAL_ENV`) and its locations
    checked: an unknown profile, a production profile without its variables, a number that
    is not one, and a folder that is a file are refused here."""
    from pipelines.resources import ProfileError, environment

    try:
        environment()
        found = Settings.from_env()
    except (ProfileError, SettingsError) as exc:
        raise UsageError(str(exc)) from None
    _check_folder("ITTISAL_HOME", found.home)
    _check_folder("ITTISAL_LANDING", found.landing)
    for var, location in (("ITTISAL_LAKE", found.lake), ("ITTISAL_QUARANTINE", found.quarantine)):
        if "://" not in location:
            _check_folder(var, Path(location))
    if found.warehouse.is_dir():
        raise UsageError(f"ITTISAL_WAREHOUSE={found.warehouse} is a folder; it must name the "
                         "DuckDB file (or where it will be written)")
    _check_folder("ITTISAL_WAREHOUSE", found.warehouse.parent, found.warehouse)
    _check_memory(found.duckdb_memory)
    return found


def _check_memory(limit: str) -> None:
    """`ITTISAL_DUCKDB_MEMORY` as DuckDB itself reads it (asked of an in-memory database)."""
    import duckdb

    try:
        duckdb.connect(config={"memory_limit": limit}).close()
    except duckdb.Error:
        raise UsageError(f"ITTISAL_DUCKDB_MEMORY={limit!r} is not a memory size DuckDB reads "
                         "(e.g. 512MB, 2GB)") from None


def _check_folder(name: str, path: Path, shown: Path | None = None) -> None:
    """`path` is a folder, or can become one: its nearest existing ancestor is a writable
    folder (a file there would make every `mkdir` under it fail deep inside a run). The
    line names `shown` (default `path`), the location the variable gives."""
    shown = shown or path
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        if existing == shown:
            raise UsageError(f"{name}={shown} is a file; it must be a folder (or not exist yet)")
        raise UsageError(f"{name}={shown} is under {existing}, which is a file, not a folder")
    if existing != path and not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{name}={shown} cannot be created: {existing} is not writable")


def _origin() -> str:
    """Where the home's path came from: said with it, since the default is relative."""
    if os.environ.get("ITTISAL_HOME"):
        return "set by ITTISAL_HOME"
    return "ITTISAL_HOME is not set: ./data of the current folder"


def home_note(found: Settings) -> str | None:
    """The line that says where a home that does not exist yet will be made, so that running
    from another folder (the default `./data` is relative to it) is visible, not silent."""
    if found.home.exists():
        return None
    return f"new ittisal home at {found.home} ({_origin()})"


def check_landing(found: Settings) -> None:
    """A landing folder to run on: none means nothing was ever landed there (another
    folder's `./data`, a mistyped home), so a run would only make an empty home."""
    if not found.landing.is_dir():
        raise UsageError(f"nothing to process: no landing folder {found.landing} (home "
                         f"{found.home}, {_origin()}); `ittisal samples` lands the bundled "
                         "samples there, or set ITTISAL_HOME to your home")


def empty_landing(found: Settings) -> str | None:
    """The line that says the landing folder has no file in it, and how to fill it; none
    when it has one (the walk stops at the first)."""
    if any(files for _, _, files in os.walk(found.landing)):
        return None
    return (f"the landing folder {found.landing} is empty: put article files there "
            "(.txt or .html pages, .jsonl feeds; sub-folders allowed) or run `ittisal samples` to "
            "land the bundled samples")


def check_table(name: str) -> None:
    """`name` is a table the warehouse will have after a run (what `--show` may print)."""
    from assets.warehouse import WAREHOUSE_TABLES

    if name not in WAREHOUSE_TABLES:
        raise UsageError(f"--show: no table {name!r}; the warehouse tables are "
                         f"{', '.join(WAREHOUSE_TABLES)}")


def check_gold(path: Path) -> None:
    """A gold file that is there and is JSON lines of articles (`id` and `events`), so that a
    typo in the path or a wrong file is said before the warehouse is opened."""
    if not path.is_file():
        raise UsageError(f"no gold file {path}" + (" (it is a folder)" if path.is_dir() else ""))
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(_lines(path, lines), 1):
            if not line.strip():
                continue
            try:
                article = json.loads(line)
            except ValueError:
                raise UsageError(f"{path} line {number}: not JSON") from None
            if not (isinstance(article, dict) and "id" in article
                    and isinstance(article.get("events"), list)):
                raise UsageError(f"{path} line {number}: not a gold article "
                                 "(an object with `id` and a list of `events`)")


def _lines(path: Path, lines: Iterator[str]) -> Iterator[str]:
    try:
        yield from lines
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None


def check_warehouse(found: Settings) -> None:
    """A warehouse to score: said with the home it was looked for in, and the command that
    builds it."""
    if not found.warehouse.is_file():
        raise UsageError(f"no warehouse at {found.warehouse} (ITTISAL_HOME={found.home}); "
                         "`ittisal run` builds it from the landed files")


def readable_warehouse(found: Settings, read: Callable[[], T]) -> T:
    """What `read` returns from the warehouse, or one line if DuckDB cannot read it (not a
    DuckDB file, or one without the tables and columns this version reads)."""
    import duckdb

    try:
        return read()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"cannot read the warehouse {found.warehouse} ({first}); "
                         "`ittisal run` rebuilds it") from None


def sizes(option: str, text: str) -> list[int]:
    """A comma-separated list of positive whole numbers (`--sizes 1000,10000`)."""
    try:
        values = [int(x) for x in text.split(",")]
    except ValueError:
        values = []
    if not values or min(values) <= 0:
        raise UsageError(f"{option}: {text!r} is not a comma-separated list of positive "
                         "whole numbers (e.g. 1000,10000)")
    return values
