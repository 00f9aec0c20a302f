"""The import graph of the package: which module may import which.

Every import counts, at the top of a module, inside a function (lazy) or under
``if TYPE_CHECKING:``, as the import graph of issue 14 counts them. The graph
is read from the source with :mod:`ast`, so nothing is imported to check it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SOURCE / "timeline"


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(module: str) -> dict[str, list[str]]:
    """The modules of the package that ``module`` imports, each with the names
    it takes from it (``[]`` for ``import x``)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    found.setdefault(alias.name, [])
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target not in MODULES:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in MODULES:  # from . import validators
                    found.setdefault(submodule, [])
                else:
                    found.setdefault(target, []).append(alias.name)
    found.pop(module, None)
    return found


GRAPH = {module: set(imports(module)) for module in MODULES}


def test_the_graph_is_read_from_every_module():
    assert {"timeline.plugins", "timeline.registry", "timeline.model"} <= set(MODULES)
    assert "timeline.plugins" in GRAPH["timeline.registry"]
    assert "timeline.hookspecs" in GRAPH["timeline.plugins"]
    # lazy and TYPE_CHECKING imports count: hookspecs names formats only for types
    assert "timeline.formats" in GRAPH["timeline.hookspecs"]


def test_plugins_never_imports_the_registry():
    """Loading comes before what is loaded: the registry imports plugins, and
    plugins never imports the registry, not even inside a function."""
    assert "timeline.registry" not in GRAPH["timeline.plugins"]


LOWER = ["timeline.errors", "timeline.dates", "timeline.countries", "timeline.validators",
         "timeline.recurrence", "timeline.words", "timeline.locales", "timeline.translations",
         "timeline.model",
         "timeline.timelines",
         "timeline.interrupts"]  # fmt: skip
UPPER = ["timeline.plugins", "timeline.registry", "timeline.formats", "timeline.hookspecs"]


@pytest.mark.parametrize("module", LOWER)
def test_the_model_never_imports_plugins_the_registry_or_formats(module):
    assert GRAPH[module].isdisjoint(UPPER), sorted(GRAPH[module] & set(UPPER))


@pytest.mark.parametrize("module", ["timeline.formats", "timeline.interrupts"])
def test_formats_never_import_what_loads_or_registers_them(module):
    assert GRAPH[module].isdisjoint({"timeline.plugins", "timeline.registry"})


def test_the_atomic_writing_knows_nothing_of_timelines_or_formats():
    """``files`` imports ``atomic``, never the other way: writing files all or
    nothing needs the errors and where standard output goes, nothing more."""
    assert GRAPH["timeline.atomic"] <= {"timeline.errors", "timeline.streams"}
    assert "timeline.atomic" in GRAPH["timeline.files"]


def test_the_import_graph_has_no_cycle():
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", f"import cycle: {' -> '.join([*path, module])}"
        state[module] = "open"
        for imported in sorted(GRAPH[module]):
            visit(imported, [*path, module])
        state[module] = "done"
        order.append(module)

    for module in sorted(GRAPH):
        visit(module, [])
    assert len(order) == len(GRAPH)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_another_ones_private_names(module):
    private = {
        target: [n for n in names if n.startswith("_") and not n.startswith("__")]
        for target, names in imports(module).items()
    }
    assert {t: n for t, n in private.items() if n} == {}
