"""A daily run, so tables stay current even when the sensor is off.

On by default: it runs while a Dagster daemon runs against the instance (the one `ittisal ui`
starts), with nothing to switch on first. Its run is over every partition (every landed file):
a part whose judgement depends on the clock is judged again there even when no file changed,
at the cost of a materialization per file and table in the instance."""

import dagster as dg

from assets.partitions import every_partition
from assets.resources import IttisalStorage
from pipelines.jobs import process_landing


@dg.schedule(name="daily_refresh", job=process_landing, cron_schedule="0 3 * * *",
             execution_timezone="UTC", description="Every day at 03:00 UTC.",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def daily_refresh(context: dg.ScheduleEvaluationContext, storage: IttisalStorage):
    tags = every_partition(context.instance, storage.settings().landing)
    return dg.RunRequest(tags=tags) if tags else dg.SkipReason(
        "landing/ is empty: no partition to run for")
