"""The data dictionary: every column of every table and SQL model, in Markdown.

Registered tables are described in `ittisal.store.schemas`; SQL models in the `Columns:` list of
their own file, with their types found by running them over empty inputs. `docs/tables.md`
is this module's output (`python -m ittisal.quality.dictionary > docs/tables.md`), and a test keeps
it current.
"""

from __future__ import annotations

from ittisal.store.schemas import TABLES, duckdb_type
from ittisal.store.sqlmodels import SQL_DIR, load_models, output_schemas


def data_dictionary() -> str:
    out = ["# Data dictionary", "",
           "Generated from `ittisal/store/schemas.py` and the headers of `sql/*.sql`; do not "
           "edit by hand (`python -m ittisal.quality.dictionary > docs/tables.md`).", "",
           "# Tables", ""]
    for table in TABLES.values():
        out += [f"## `{table.name}` ({table.layer})", "", table.description, "",
                f"Key: `{', '.join(table.key)}`", "", "| column | type | description |",
                "|---|---|---|"]
        out += [f"| `{c.name}` | `{c.sql_type}` | {c.description} |" for c in table.columns]
        out.append("")
    models = load_models(SQL_DIR)
    schemas = output_schemas(models, {n: t.arrow_schema for n, t in TABLES.items()})
    out += ["# SQL models", ""]
    for model in sorted(models, key=lambda m: m.name):
        docs = model.column_docs
        out += [f"## `{model.name}` (`sql/{model.path.name}`)", "", model.description, "",
                "| column | type | description |", "|---|---|---|"]
        out += [f"| `{f.name}` | `{duckdb_type(f.type)}` | {docs.get(f.name, '')} |"
                for f in schemas[model.name]]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(data_dictionary(), end="")
