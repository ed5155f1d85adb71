"""The package's layers, read from every module's imports (function-level imports included):
text ↛ entities ↛ events; text, entities, events ↛ store, quality, Dagster, assets, pipelines;
nothing in ittisal ↛ Dagster, assets, pipelines; assets ↛ pipelines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# what each layer may not import (module-name prefixes)
FORBIDDEN = {
    "ittisal.text": ("ittisal.entities", "ittisal.events", "ittisal.store", "ittisal.quality",
                     "ittisal.stages", "dagster", "assets", "pipelines"),
    "ittisal.entities": ("ittisal.events", "ittisal.store", "ittisal.quality", "ittisal.stages",
                         "dagster", "assets", "pipelines"),
    "ittisal.events": ("ittisal.store", "ittisal.quality", "ittisal.stages", "dagster",
                       "assets", "pipelines"),
    "ittisal.store": ("ittisal.quality", "ittisal.stages", "dagster", "assets", "pipelines"),
    "ittisal": ("dagster", "assets", "pipelines"),
    "assets": ("pipelines",),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Absolute names of every module `path` imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def violations(module: str, imports: set[str]) -> list[str]:
    found = []
    for layer, banned in FORBIDDEN.items():
        if module != layer and not module.startswith(layer + "."):
            continue
        found += [f"{module} imports {name}" for name in sorted(imports)
                  if any(name == b or name.startswith(b + ".") for b in banned)]
    return found


MODULES = sorted(p for d in ("ittisal", "assets", "pipelines")
                 for p in (REPO / d).rglob("*.py"))


def test_every_layer_is_a_package_that_says_what_it_holds():
    for layer in ("text", "entities", "events", "store", "quality"):
        init = REPO / "ittisal" / layer / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), layer


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_higher_layer(path):
    assert violations(module_name(path), imported(path)) == []


def test_the_check_sees_an_import_against_the_layers(tmp_path):
    """The rule itself: a text module reaching into events, an event module into the store
    (even inside a function) and an asset into the definitions are each reported."""
    assert violations("ittisal.text.normalize", {"ittisal.events.dates"})
    assert violations("ittisal.entities.tagging", {"dagster"})
    assert violations("assets.checks", {"pipelines.resources"})
    assert not violations("ittisal.events.mentions", {"ittisal.entities.tagging"})
    assert not violations("pipelines.definitions", {"assets.checks", "dagster"})
    probe = tmp_path / "inference.py"
    probe.write_text("import re\n\ndef f():\n    from ittisal.store.sqlmodels import bind\n",
                     encoding="utf-8")
    assert violations("ittisal.events.inference", imported(probe)) == [
        "ittisal.events.inference imports ittisal.store.sqlmodels",
        "ittisal.events.inference imports ittisal.store.sqlmodels.bind"]
