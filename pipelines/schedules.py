"""A daily run, so tables stay current even when the sensor is off."""

import dagster as dg

from pipelines.jobs import process_landing

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh", job=process_landing, cron_schedule="0 3 * * *",
    execution_timezone="UTC", description="Every day at 03:00 UTC.",
)
