"""Resources and the executor, chosen per environment in this one place.

`ITTISAL_ENV=local` (default) keeps everything under `ITTISAL_HOME` and runs steps in one
process; `production` reads the lake and warehouse locations from environment variables set
by the deployment (object-storage URIs work for the lake) and runs steps in separate
processes, which Dagster's k8s or celery executors replace without code changes here.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from ittisal.settings import Settings


class IttisalStorage(dg.ConfigurableResource):
    """Where landed files, Parquet layers, quarantine and the warehouse live.

    Left empty, every location is read from `ITTISAL_*` variables when a step runs (see
    `ittisal.settings`), so one loaded code location follows the environment it runs in.
    """

    home: str = ""
    landing: str = ""
    lake: str = ""
    quarantine: str = ""
    warehouse: str = ""
    workers: int = 0

    def settings(self) -> Settings:
        base = Settings.from_env(self.home or None)
        return Settings(
            base.home,
            Path(self.landing) if self.landing else base.landing,
            self.lake or base.lake,
            self.quarantine or base.quarantine,
            Path(self.warehouse) if self.warehouse else base.warehouse,
            self.workers or base.workers,
            base.duckdb_memory,
        )


def environment() -> str:
    return os.environ.get("ITTISAL_ENV", "local")


def resources_for(env: str) -> dict[str, object]:
    if env == "production":
        storage = IttisalStorage(
            home=dg.EnvVar("ITTISAL_HOME"), landing=dg.EnvVar("ITTISAL_LANDING"),
            lake=dg.EnvVar("ITTISAL_LAKE"), quarantine=dg.EnvVar("ITTISAL_QUARANTINE"),
            warehouse=dg.EnvVar("ITTISAL_WAREHOUSE"),
        )
    else:
        storage = IttisalStorage()
    return {"storage": storage}


def executor_for(env: str) -> dg.ExecutorDefinition:
    return dg.multiprocess_executor if env == "production" else dg.in_process_executor
