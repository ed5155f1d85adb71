"""The resources the assets ask for; which values they get is chosen in `pipelines/resources.py`."""

from __future__ import annotations

import dataclasses

import dagster as dg

from ittisal.settings import Settings, local_path


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
        return dataclasses.replace(
            base,
            landing=local_path("ITTISAL_LANDING", self.landing) if self.landing else base.landing,
            lake=self.lake or base.lake,
            quarantine=self.quarantine or base.quarantine,
            warehouse=(local_path("ITTISAL_WAREHOUSE", self.warehouse) if self.warehouse
                       else base.warehouse),
            workers=self.workers or base.workers,
        )
