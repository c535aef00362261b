"""Every built-in plugin's service follows docs/plugins.md ("Services"): a lookup or rule it
only exposes is the module's function named as an attribute (``name = staticmethod(...)``); a
method adds something of the service (its ctx, another service, a transaction, an event). So
no method of a service merely hands its arguments on to a module function.

The services are found from what each plugin of ``DEFAULT_PLUGINS`` returns from its
``register_services`` hook, so a new built-in plugin is checked without editing this file."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap

import pytest

from plue_core.accounts import authentication, visibility
from plue_core.accounts.service import AccountsService
from plue_core.plugins import DEFAULT_PLUGINS
from plue_core.testing import service_pass_throughs as pass_throughs
from plue_git_hosting import git_reading, permissions
from plue_git_hosting.service import GitHosting
from plue_nodes import nodes
from plue_nodes.service import NodesService

# Checked by a test of its own in the pulls plugin's tests, which lands with its work.
NOT_HERE = {"pulls"}
# Known and left, with why (none today: the issue timeline's method now filters what the
# viewer may read, so it adds something to the module's query).
LEFT: dict[str, list[str]] = {}


def service_classes(plugin_module) -> list[type]:
    """The classes the plugin's ``register_services`` instantiates (``[("name", Cls(ctx))]``),
    read from its source: no app is built."""
    hook = getattr(plugin_module, "register_services", None)
    if hook is None:
        return []
    found = []
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(hook)))):
        if isinstance(node, ast.Call):
            first, *rest = ast.unparse(node.func).split(".")
            target = vars(plugin_module).get(first)
            for part in rest:
                target = getattr(target, part, None)
            if inspect.isclass(target):
                found.append(target)
    return found


SERVICES = [(name, cls) for name, path in DEFAULT_PLUGINS if name not in NOT_HERE
            for cls in service_classes(importlib.import_module(path))]


def test_every_service_is_found():
    """Each plugin that offers a service is seen, so none escapes the check below."""
    offering = {name for name, path in DEFAULT_PLUGINS
                if hasattr(importlib.import_module(path), "register_services")} - NOT_HERE
    assert {name for name, _ in SERVICES} == offering
    assert {"accounts", "git_hosting", "issues", "actions", "nodes", "runnerhub",
            "monitoring", "webhooks"} <= offering


@pytest.mark.parametrize("plugin, service", SERVICES, ids=[name for name, _ in SERVICES])
def test_no_service_method_only_hands_its_arguments_on(plugin, service):
    assert pass_throughs(service) == LEFT.get(plugin, []), \
        f"{plugin}: name the module function as an attribute (docs/plugins.md, 'Services')"


def test_the_check_finds_a_pass_through():
    class Sample:
        def forwards(self, owner_name, repo_name):
            """Documented, yet only handing on."""
            return permissions.find_repository(owner_name, repo_name)

        def listed(self, node_id):
            return list(nodes.lock_node(node_id))

        def adds_context(self, repository):
            return git_reading.resolve_commit(self.ctx, repository)

        def reorders(self, account, identity):
            return visibility.can_see(identity, account)

        def queries(self):
            return list(GitHosting.select())  # not a module: a query of its own

    assert pass_throughs(Sample) == ["forwards", "listed"]


def test_the_lookups_are_the_modules_functions():
    assert AccountsService.identity_for_ssh_key is authentication.identity_for_ssh_key
    assert AccountsService.can_see_account is visibility.can_see
    assert GitHosting.find_repository is permissions.find_repository
    # get_repository_by_id stays a method: inside a push it answers with the row the push
    # recorded (tests/plugins/git_hosting/test_push_repository_row_once.py).
    assert GitHosting.resolve_commit is git_reading.resolve_commit
    assert NodesService.get_node is nodes.get_node
    assert NodesService.lock_node is nodes.lock_node
