"""A daily run, so tables stay current even when the sensor is off.

On by default: it runs while a Dagster daemon runs against the instance (the one `ittisal ui`
starts), with nothing to switch on first."""

import dagster as dg

from pipelines.jobs import process_landing

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh", job=process_landing, cron_schedule="0 3 * * *",
    execution_timezone="UTC", description="Every day at 03:00 UTC.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
