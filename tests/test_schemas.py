from ittisal.schemas import TABLES, data_dictionary
from tests.conftest import REPO


def test_docs_tables_md_is_generated_from_the_registry():
    assert (REPO / "docs" / "tables.md").read_text(encoding="utf-8") == data_dictionary()


def test_every_key_column_exists_and_every_column_is_described():
    for table in TABLES.values():
        assert set(table.key) <= set(table.column_names), table.name
        assert all(c.description for c in table.columns), table.name
