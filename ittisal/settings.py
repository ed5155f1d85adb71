"""Where ittisal keeps its files: the one place every path comes from.

`ITTISAL_HOME` (default `./data`) holds `landing/`, `lake/`, `quarantine/` and
`warehouse.duckdb`. The lake and quarantine may instead be object-storage URIs
(`ITTISAL_LAKE=s3://bucket/lake`), since they are written through pyarrow's filesystems.
`ITTISAL_LANDING_SOURCE=s3://bucket/landing` (optional) is an object-store prefix mirrored
into the landing folder before each run (`ittisal.store.landing_source`).
`ITTISAL_MAX_TEXT_CHARS` and `ITTISAL_RECORD_SECONDS` bound what one record may cost.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# the variables that put one location outside `ITTISAL_HOME`
LOCATION_VARIABLES = ("ITTISAL_LANDING", "ITTISAL_LAKE", "ITTISAL_QUARANTINE",
                      "ITTISAL_WAREHOUSE")


# an object-store prefix whose objects are landed (optional, in every profile)
LANDING_SOURCE = "ITTISAL_LANDING_SOURCE"

# the locations that must be on a local (or mounted) disk: the landing folder is walked with
# the OS's own calls, and DuckDB writes the warehouse file and its rename in place
LOCAL_ONLY = ("ITTISAL_HOME", "ITTISAL_LANDING", "ITTISAL_WAREHOUSE")


class SettingsError(ValueError):
    """A setting that cannot be used as it is, said in one line that names the variable."""


def local_path(name: str, value: str | os.PathLike[str]) -> Path:
    """`value` as a path of this machine, refused in one line when it is a URI: `Path` would
    read `s3://b/w.duckdb` as the relative folder `s3:` and a run would fail deep inside."""
    if "://" in str(value):
        raise SettingsError(
            f"{name}={value} is a URI, but {name} must be a path on a local or mounted disk "
            "(only ITTISAL_LAKE and ITTISAL_QUARANTINE may be in object storage)")
    return Path(value)


def _number(environ: Mapping[str, str], name: str, default: float,
            kind: type[int] | type[float]) -> int | float:
    raw = environ.get(name)
    if raw is None:
        return kind(default)
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{name}={raw!r} is not {what}") from None


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    value = int(_number(environ, name, default, int))
    if value < 1:
        raise SettingsError(f"{name}={value} must be at least 1")
    return value


@dataclass(frozen=True)
class Settings:
    home: Path
    landing: Path
    lake: str
    quarantine: str
    warehouse: Path
    workers: int
    # what DuckDB may hold in memory before it spills to `duckdb_spill` (SQL models, checks,
    # the warehouse): the bound that keeps a run's memory flat as the corpus grows
    duckdb_memory: str = "512MB"
    # what one record may cost in the text stages (ittisal.stages): the characters of its
    # article text after cleaning (a long feature is ~20,000; ten times that is no article)
    # and the seconds it may take in one stage; a record over either is quarantined with the
    # reason, so that it cannot stall this run, nor every later one that would start over on it
    max_text_chars: int = 200_000
    record_seconds: float = 60.0
    # a feed of more lines than this is computed as batches of this many lines, each a part
    # of its own: the workers (and Dagster's runs) share one big feed
    batch_records: int = 1000
    # an object-store prefix mirrored into `landing` before a run reads it (None: only the
    # folder)
    landing_source: str | None = None

    @property
    def duckdb_spill(self) -> Path:
        return self.home / ".duckdb-spill"

    @property
    def state(self) -> Path:
        """Caches a run may lose at no cost but time: landed files' hashes, check results."""
        return self.home / ".state"

    @property
    def check_results(self) -> Path:
        """The last result of each asset check, with the signature of what it read."""
        return self.state / "checks"

    @property
    def landing_hashes(self) -> Path:
        return self.state / "landing-hashes.json"

    @classmethod
    def from_env(cls, home: str | os.PathLike[str] | None = None,
                 environ: Mapping[str, str] = os.environ) -> Settings:
        root = local_path("ITTISAL_HOME", home or environ.get("ITTISAL_HOME", "data")).absolute()
        return cls(
            home=root,
            landing=local_path("ITTISAL_LANDING",
                               environ.get("ITTISAL_LANDING", root / "landing")).absolute(),
            lake=environ.get("ITTISAL_LAKE", str(root / "lake")),
            quarantine=environ.get("ITTISAL_QUARANTINE", str(root / "quarantine")),
            warehouse=local_path("ITTISAL_WAREHOUSE",
                                 environ.get("ITTISAL_WAREHOUSE", root / "warehouse.duckdb")),
            workers=int(_number(environ, "ITTISAL_WORKERS", 1, int)),
            duckdb_memory=environ.get("ITTISAL_DUCKDB_MEMORY", "512MB"),
            max_text_chars=int(_number(environ, "ITTISAL_MAX_TEXT_CHARS", cls.max_text_chars,
                                       int)),
            record_seconds=float(_number(environ, "ITTISAL_RECORD_SECONDS", cls.record_seconds,
                                         float)),
            batch_records=_positive(environ, "ITTISAL_BATCH_RECORDS", cls.batch_records),
            landing_source=environ.get(LANDING_SOURCE) or None,
        )

    @classmethod
    def of_own_home(cls, home: str | os.PathLike[str]) -> Settings:
        """The settings of `home` with every location inside it, whatever the location
        variables say: for a temporary home (a benchmark's) that must never write to the
        landing, lake or warehouse a deployment's variables name."""
        return cls.from_env(home, {k: v for k, v in os.environ.items()
                                   if k not in (*LOCATION_VARIABLES, LANDING_SOURCE)})
