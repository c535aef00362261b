"""docs/architecture.md and the import contracts `make lint` checks (.importlinter) tell the
same story: every contract is described, and every import a contract lets through (a known
debt) is named on the page."""

from __future__ import annotations

import configparser
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "architecture.md").read_text()


def contracts() -> dict[str, configparser.SectionProxy]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    prefix = "importlinter:contract:"
    return {name[len(prefix):]: config[name] for name in config.sections()
            if name.startswith(prefix)}


def ignored_imports() -> list[tuple[str, str]]:
    found = []
    for name, contract in contracts().items():
        for line in contract.get("ignore_imports", "").split("\n"):
            if line.strip():
                found.append((name, line.strip()))
    return found


def test_the_contracts_cover_the_layers():
    assert {"workflows-pure", "core-no-plugins", "core-no-hosts", "plugins-no-hosts",
            "runner-agent", "plugins-independent", "hosts-no-plugins"} <= set(contracts())


@pytest.mark.parametrize("name", sorted(contracts()))
def test_every_contract_is_described_on_the_page(name):
    assert f"| `{name}` |" in PAGE, f"docs/architecture.md does not describe contract {name}"


def source_path(module: str) -> str:
    """Where a module lives in the tree: plugins and hosts are installed under other names
    (setup.py) than their folders."""
    top, _, rest = module.partition(".")
    folder = {"plue_hosts": "hosts"}.get(top) or (
        f"plugins/{top}" if (ROOT / "plugins" / top).is_dir() else top)
    return "/".join([folder, *rest.split(".")]) if rest else folder


@pytest.mark.parametrize("contract,ignored", ignored_imports(),
                         ids=[f"{c}: {i}" for c, i in ignored_imports()])
def test_every_ignored_import_is_named_on_the_page(contract, ignored):
    importer, _, imported = (part.strip() for part in ignored.partition("->"))
    for module in (importer, imported):
        path = source_path(module.removesuffix(".*"))
        assert path in PAGE or module.removesuffix(".*") in PAGE, \
            f"docs/architecture.md does not name {module} (ignored by {contract}: {ignored})"
