"""Dagster wiring for ittisal: definitions, resources, jobs, schedules, sensors and the CLI."""
