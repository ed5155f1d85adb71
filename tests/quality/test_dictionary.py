from ittisal.quality.dictionary import data_dictionary
from ittisal.store.schemas import TABLES
from ittisal.store.sqlmodels import SQL_DIR, load_models, output_schemas
from tests.conftest import REPO


def test_docs_tables_md_is_generated_from_the_registry_and_the_models():
    assert (REPO / "docs" / "tables.md").read_text(encoding="utf-8") == data_dictionary()


def test_every_key_column_exists_and_every_column_is_described():
    for table in TABLES.values():
        assert set(table.key) <= set(table.column_names), table.name
        assert all(c.description for c in table.columns), table.name


def test_every_model_documents_exactly_the_columns_it_returns():
    models = load_models(SQL_DIR)
    schemas = output_schemas(models, {n: t.arrow_schema for n, t in TABLES.items()})
    for model in models:
        assert list(model.column_docs) == schemas[model.name].names, model.name
        assert all(model.column_docs.values()), model.name
