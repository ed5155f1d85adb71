"""Events: calls, visits, meetings and messages read from tagged text (`mentions`), their
dates (`dates`) and the dating of undated articles (`inference`). May import `ittisal.text`
and `ittisal.entities`; never the store, the quality checks or Dagster."""
