"""Accounts' public surface (docs/architecture.md, "kernel services"): plugins and hosts may
import ``plue_core.accounts.models`` and the shape modules ``plue_core.accounts.schemas.users``
and ``plue_core.accounts.schemas.orgs`` and ask
``ctx.services["accounts"]`` for the rest. The `accounts-internals` contract of .importlinter
lists the other modules; this test keeps that list whole, so a new module of accounts is
either named public here and on the page, or protected by the contract."""

from __future__ import annotations

import configparser
import pathlib
import pkgutil

import plue_core.accounts

ROOT = pathlib.Path(__file__).resolve().parents[2]
PUBLIC = {"plue_core.accounts.models", "plue_core.accounts.schemas.users",
          "plue_core.accounts.schemas.orgs"}
# Packages whose modules are covered by their own entry (or by the public ones inside).
PACKAGES = {"plue_core.accounts.schemas"}


def protected_modules() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    entries = config["importlinter:contract:accounts-internals"]["protected_modules"]
    return {line.strip() for line in entries.split("\n") if line.strip()}


def accounts_modules() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(plue_core.accounts.__path__, "plue_core.accounts."):
        if info.name.split(".")[-1][0].isdigit():
            continue  # a migration file: loaded by path, never imported by name
        found.add(info.name)
    return found


def covered(module: str, protected: set[str]) -> bool:
    return any(module == entry or module.startswith(entry + ".") for entry in protected)


def test_every_module_of_accounts_is_public_or_protected():
    protected = protected_modules()
    loose = sorted(module for module in accounts_modules() - PUBLIC - PACKAGES
                   if not covered(module, protected))
    assert loose == [], "add them to the accounts-internals contract, or make them public " \
                        "(docs/architecture.md)"


def test_the_contract_protects_no_public_module_and_only_modules_that_exist():
    protected = protected_modules()
    assert not any(covered(module, protected) for module in PUBLIC)
    assert protected <= accounts_modules()


def test_the_public_modules_are_named_on_the_architecture_page():
    page = (ROOT / "docs" / "architecture.md").read_text()
    for module in PUBLIC:
        assert f"`{module}`" in page
