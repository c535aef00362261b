"""Every built-in plugin keeps the layout docs/plugins.md tells third parties to use: its HTTP
resources in ``resources.py`` or a ``resources/`` package, its wire shapes in ``schemas``, and
resources that parse, call the service and render — no resource module imports ``peewee`` or a
models module (the queries live in the service or a module of the feature beside it)."""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLUGINS = sorted([*ROOT.glob("plugins/plue_*"), ROOT / "plue_core" / "accounts",
                  ROOT / "plue_core" / "meta"])


def resource_modules() -> list[pathlib.Path]:
    found = []
    for plugin in PLUGINS:
        found += plugin.glob("resources.py")
        found += plugin.glob("resources/*.py")
    return sorted(found)


def runtime_imports(path: pathlib.Path) -> list[str]:
    """The modules ``path`` imports when it runs (not those under ``if TYPE_CHECKING:``)."""
    names = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                names.extend(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                names.append(child.module)
                names.extend(f"{child.module}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text()))
    return names


def test_the_resource_modules_are_found():
    assert len(resource_modules()) > 40
    assert all(p.exists() for p in PLUGINS)


@pytest.mark.parametrize("path", resource_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_resource_module_queries_no_table(path):
    """A responder parses, calls the service (or a query module), renders: it builds no query,
    so it needs neither peewee nor a model class."""
    wrong = [name for name in runtime_imports(path)
             if name == "peewee" or name.startswith("peewee.") or name.startswith("playhouse")
             or ".models" in name or name.endswith("models")]
    assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}: move the query to the service"


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.name)
def test_a_plugin_names_its_parts_as_every_plugin_does(plugin):
    names = {p.name for p in plugin.iterdir()}
    assert "rest" not in names, f"{plugin.name}: HTTP resources live in resources/, not rest/"
    stray = sorted(n for n in names if n.endswith("_resources.py"))
    assert not stray, f"{plugin.name}: {stray} belong in the resources/ package"
    assert "shapes.py" not in names and "shapes" not in names, \
        f"{plugin.name}: response shapes live in schemas (schemas.py or schemas/shapes)"
    assert "services.py" not in names, f"{plugin.name}: the service module is service.py"


def test_the_check_sees_an_import_that_breaks_the_rule(tmp_path):
    module = tmp_path / "resources.py"
    module.write_text("from typing import TYPE_CHECKING\nimport falcon\n"
                      "from plue_x.models import Thing\n"
                      "if TYPE_CHECKING:\n    from plue_y.models import Other\n"
                      "def f():\n    import peewee\n")
    assert runtime_imports(module) == ["typing", "typing.TYPE_CHECKING", "falcon",
                                       "plue_x.models", "plue_x.models.Thing", "peewee"]


def test_no_runnerhub_module_imports_the_actions_plugin():
    """RunnerHub reads and changes actions only through ctx.services["actions"] (its
    methods; ``plue_workflows`` for the Status enum): no module names an actions table."""
    hub = next(ROOT.glob("plugins/plue_runnerhub"))
    assert not (hub / "engine.py").exists()
    users = {str(path.relative_to(hub)) for path in hub.rglob("*.py")
             if any(name == "plue_actions" or name.startswith(("plue_actions.",
                                                                "plue_runnerhub.engine"))
                    for name in runtime_imports(path))}
    assert not users, f"{sorted(users)} import actions: ask ctx.services['actions'] instead"
