"""ittisal: Arabic news to tables of diplomatic contacts.

Layers, lowest first: `text` -> `entities` -> `events` (pure Python), beside `store` (files,
the lake, DuckDB) and `quality` (checks, scoring); `stages` runs the text-to-events functions
over the store's parts. `tests/test_layers.py` holds the imports to this order.
"""
