"""Resources and the executor, chosen per environment in this one place.

`ITTISAL_ENV=local` (default) keeps everything under `ITTISAL_HOME` and runs steps in one
process; `production` reads the lake and warehouse locations from environment variables set
by the deployment (object-storage URIs work for the lake) and runs steps in separate
processes, which Dagster's k8s or celery executors replace without code changes here.
"""

from __future__ import annotations

import os

import dagster as dg

from ittisal.settings import Settings


class IttisalStorage(dg.ConfigurableResource):
    """Where landed files, Parquet layers, quarantine and the warehouse live."""

    home: str
    landing: str
    lake: str
    quarantine: str
    warehouse: str
    workers: int = 1

    @classmethod
    def from_settings(cls, settings: Settings) -> IttisalStorage:
        return cls(home=str(settings.home), landing=str(settings.landing), lake=settings.lake,
                   quarantine=settings.quarantine, warehouse=str(settings.warehouse),
                   workers=settings.workers)

    def settings(self) -> Settings:
        from pathlib import Path

        return Settings(Path(self.home), Path(self.landing), self.lake, self.quarantine,
                        Path(self.warehouse), self.workers)


def environment() -> str:
    return os.environ.get("ITTISAL_ENV", "local")


def resources_for(env: str) -> dict[str, object]:
    if env == "production":
        storage = IttisalStorage(
            home=dg.EnvVar("ITTISAL_HOME"), landing=dg.EnvVar("ITTISAL_LANDING"),
            lake=dg.EnvVar("ITTISAL_LAKE"), quarantine=dg.EnvVar("ITTISAL_QUARANTINE"),
            warehouse=dg.EnvVar("ITTISAL_WAREHOUSE"),
            workers=int(os.environ.get("ITTISAL_WORKERS", "1")),
        )
    else:
        storage = IttisalStorage.from_settings(Settings.from_env())
    return {"storage": storage}


def executor_for(env: str) -> dg.ExecutorDefinition:
    return dg.multiprocess_executor if env == "production" else dg.in_process_executor
