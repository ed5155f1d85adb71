"""Entities: states, organisations, officials and roles found in normalized text (the gazetteer
and its data files, the tagger). May import `ittisal.text`; never events, store or Dagster."""
