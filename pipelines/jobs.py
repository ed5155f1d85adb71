"""The one job: bring every table and the warehouse up to date with `landing/`."""

import dagster as dg

process_landing = dg.define_asset_job(
    "process_landing",
    selection=dg.AssetSelection.all(),
    description="Process whatever is new or changed in landing/ and republish the warehouse.",
)
