"""The documentation keeps up with the code: every hook and every core setting is documented,
and links between the documents resolve."""

from __future__ import annotations

import inspect
import pathlib
import re

import pytest

from plue_core import hookspecs
from plue_core.config import CORE_SECTIONS, CoreSettings

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def hook_specs():
    for name, function in vars(hookspecs).items():
        if inspect.isfunction(function) and hasattr(function, "plue_spec"):
            yield name, function


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
