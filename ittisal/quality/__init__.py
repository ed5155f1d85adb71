"""Quality: the asset checks' logic, scoring against gold, the data dictionary. May import
every layer of ittisal; never Dagster, assets or pipelines."""
