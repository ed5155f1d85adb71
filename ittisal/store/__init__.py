"""Store: where tables live — landed files, the Parquet lake and its parts, small state files,
locks, the schema registry, the SQL models and the DuckDB warehouse. May import `ittisal.text`
(landing decodes) and the pure event logic it runs queries for; never Dagster."""
