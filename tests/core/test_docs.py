"""The documentation keeps up with the code: every hook and every core setting is documented,
and links between the documents resolve."""

from __future__ import annotations

import inspect
import pathlib
import re

import pytest

from plue_core import hookspecs
from plue_core.config import CORE_SECTIONS, CoreSettings
from plue_core.plugins import build_plugin_manager

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def hook_specs(module=hookspecs):
    for name, function in vars(module).items():
        if inspect.isfunction(function) and hasattr(function, "plue_spec"):
            yield name, function


def plugin_hook_specs() -> list[tuple[str, object]]:
    """Every hook a built-in plugin adds through ``add_hookspecs``, found by building the
    plugin manager (so a new plugin's ``hookspecs.py`` is checked without listing it here)."""
    pm = build_plugin_manager({"load_entrypoints": False})
    found = []
    for name in sorted(vars(pm.hook)):
        spec = getattr(getattr(pm.hook, name), "spec", None)
        if spec is not None and spec.namespace is not hookspecs:
            found.append((f"{spec.namespace.__name__}.{name}", spec.function))
    return found


def declaration(function) -> tuple[str, str]:
    """The decorator line and the ``def`` line(s) exactly as hookspecs.py spells them."""
    lines = inspect.getsource(function).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("def "))
    end = next(i for i in range(start, len(lines)) if lines[i].rstrip().endswith(":"))
    return lines[start - 1], "\n".join(lines[start:end + 1])


@pytest.mark.parametrize("name", [name for name, _ in hook_specs()])
def test_every_hook_is_in_the_hook_reference_with_its_exact_signature(name):
    reference = (DOCS / "hooks.md").read_text()
    decorator, signature = declaration(getattr(hookspecs, name))
    assert f"{decorator}\n{signature}" in reference, \
        f"docs/hooks.md lacks the exact declaration of {name}:\n{decorator}\n{signature}"
    summary = inspect.getdoc(getattr(hookspecs, name)).split("\n\n")[0]
    assert summary in reference, f"docs/hooks.md lacks the summary of {name}: {summary}"


def test_the_plugin_hooks_are_found():
    names = {name.rsplit(".", 1)[1] for name, _ in plugin_hook_specs()}
    assert {"account_deletion_blockers", "issue_pull_request_meta", "issue_state_changing",
            "protected_ref_rules"} <= names


@pytest.mark.parametrize("name,function", [pytest.param(name, function, id=name)
                                           for name, function in plugin_hook_specs()])
def test_every_hook_a_plugin_adds_is_in_the_hook_reference_with_its_docstring(name, function):
    reference = (DOCS / "hooks.md").read_text()
    plugin_hooks = reference[reference.index("## Hooks that plugins add"):]
    decorator, signature = declaration(function)
    assert f"{decorator}\n{signature}" in plugin_hooks, \
        f"docs/hooks.md (Hooks that plugins add) lacks the exact declaration of {name}"
    assert f"### `{function.__name__}`" in plugin_hooks
    assert inspect.getdoc(function) in plugin_hooks, \
        f"docs/hooks.md lacks the docstring of {name} as {inspect.getmodule(function).__file__} has it"


def core_settings() -> list[str]:
    names = []
    for key, field in CoreSettings().fields.items():
        if key in CORE_SECTIONS:
            names += [f"{key}.{sub}" for sub in field.schema.fields]
        else:
            names.append(key)
    return names


@pytest.mark.parametrize("setting", core_settings())
def test_every_core_setting_is_in_the_admin_guide(setting):
    guide = (DOCS / "admin.md").read_text()
    section, _, key = setting.rpartition(".")
    if section:
        assert f"[{section}]" in guide, f"docs/admin.md does not describe the [{section}] section"
    assert f"`{key}`" in guide, f"docs/admin.md does not describe the setting {setting}"


@pytest.mark.parametrize("document", sorted([ROOT / "README.md", *DOCS.rglob("*.md")]),
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_between_documents_resolve(document):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", document.read_text()):
        if re.match(r"^[a-z]+://", target):
            continue
        assert (document.parent / target).exists(), f"{document.name} links to missing {target}"
