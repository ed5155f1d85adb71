"""The code location: every asset, job, schedule and sensor, with this environment's resources.

`defs` is what Dagster loads (its document assets partitioned by landed file, for backfills
and the sensor's runs of new files); `local_defs()` is what `ittisal run` executes in process
(the same assets unpartitioned: one run, one materialization per table; see
`assets.documents`). Both record into the same Dagster instance. Only `defs` is at module
scope: Dagster refuses a module with two."""

from functools import cache

import dagster as dg

from assets.checks import ASSET_CHECKS
from assets.documents import DOCUMENT_ASSETS, LOCAL_DOCUMENT_ASSETS
from assets.warehouse import MODEL_ASSETS, article_dates, warehouse
from ittisal.store.progress import set_default
from pipelines.jobs import process_landing
from pipelines.progress import log_progress
from pipelines.resources import environment, executor_for, resources_for
from pipelines.schedules import daily_refresh
from pipelines.sensors import landing_sensor

# runs of this location tell their step logs how far each stage has got (`ittisal run` shows
# the same on its terminal instead)
set_default(log_progress())


def _definitions(documents: list[dg.AssetsDefinition], **automation) -> dg.Definitions:
    return dg.Definitions(
        assets=[*documents, article_dates, *MODEL_ASSETS, warehouse],
        asset_checks=ASSET_CHECKS,
        jobs=[process_landing],
        resources=resources_for(environment()),
        executor=executor_for(environment()),
        **automation,
    )


defs = _definitions(DOCUMENT_ASSETS, schedules=[daily_refresh], sensors=[landing_sensor])


@cache
def local_defs() -> dg.Definitions:
    return _definitions(LOCAL_DOCUMENT_ASSETS)
