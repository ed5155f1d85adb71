"""Resources and the executor, chosen per environment in this one place (the resource
classes themselves live with the assets that use them, in `assets/resources.py`).

`ITTISAL_ENV=local` (default) keeps everything under `ITTISAL_HOME` and runs steps in one
process; `production` reads the lake and warehouse locations from environment variables set
by the deployment (object-storage URIs work for the lake) and runs each run's steps in one
process too unless the run's config asks for a process per step (`multiprocess`), which
Dagster's k8s or celery executors replace without code changes here.
"""

from __future__ import annotations

import os

import dagster as dg

from assets.resources import IttisalStorage
from ittisal.settings import LOCAL_ONLY, LOCATION_VARIABLES, SettingsError, local_path

ENVIRONMENTS = ("local", "production")
# what the deployment must set for `production`: every location, none defaulted
PRODUCTION_VARIABLES = ("ITTISAL_HOME", *LOCATION_VARIABLES)


class ProfileError(ValueError):
    """An `ITTISAL_ENV` this module has no profile for, or a profile without its variables:
    refused when the code location loads, so a typo never runs another profile."""


def profile_name() -> str:
    """`ITTISAL_ENV` if it is a profile this module has (what every command checks)."""
    env = os.environ.get("ITTISAL_ENV", "local")
    if env not in ENVIRONMENTS:
        raise ProfileError(f"unknown ITTISAL_ENV={env!r}; the known profiles are "
                           f"{', '.join(ENVIRONMENTS)}")
    return env


def environment() -> str:
    """The profile, with the variables it needs (what loading the code location checks)."""
    env = profile_name()
    missing = [var for var in PRODUCTION_VARIABLES if not os.environ.get(var)]
    if env == "production" and missing:
        raise ProfileError(f"ITTISAL_ENV=production needs {', '.join(missing)} set "
                           "(production takes every location from the environment)")
    for var in LOCAL_ONLY:  # a URI where a local path must be: refused when the code loads
        try:
            local_path(var, os.environ.get(var, ""))
        except SettingsError as exc:
            raise ProfileError(str(exc)) from None
    return env


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


# Production's executor: Dagster's multi-or-in-process one with one process per run as its
# default. A process per step costs seconds of start-up each (~20 steps: a first run of 100
# articles took 85 s against 12 s in one process, `ittisal bench --executors`); the work is
# spread instead by partitions (a backfill's runs, each in its own process or pod) and by
# ITTISAL_WORKERS inside a step. A run may still ask for a process per step:
# `execution: {config: {multiprocess: {}}}`.
PRODUCTION_EXECUTOR = dg.multi_or_in_process_executor.configured(
    lambda config: config, name="one_process_per_run",
    config_schema=dg.Field(dg.multi_or_in_process_executor.config_schema.config_type,
                           default_value={"in_process": {}}))


def executor_for(env: str) -> dg.ExecutorDefinition:
    return PRODUCTION_EXECUTOR if env == "production" else dg.in_process_executor
