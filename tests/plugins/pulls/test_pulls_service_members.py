"""The pulls service's members follow docs/plugins.md ("Services"), as the issues service's do
(tests/plugins/issues/test_issues_service_members.py): a lookup or rule it only exposes is the
module's function named as an attribute (``name = staticmethod(...)``); a method adds something
of the service (itself for the git binary and the other services, a transaction, an event). So
no method merely hands its arguments on to a module function."""

from __future__ import annotations

import ast
import inspect
import textwrap

from plue_pulls import merging, protection, review_requests
from plue_pulls.service import PullsService


def pass_throughs(cls) -> list[str]:
    """Methods whose whole body (docstring aside) returns ``module.function(<its own
    parameters, in order>)``, or that in a ``list()``, without touching ``self``."""
    names = vars(inspect.getmodule(cls))
    found = []
    for node in ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body:
        if not isinstance(node, ast.FunctionDef):
            continue
        body = [stmt for stmt in node.body
                if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
        if len(body) != 1 or not isinstance(body[0], (ast.Return, ast.Expr)):
            continue
        call = body[0].value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
                and call.func.id == "list" and len(call.args) == 1:
            call = call.args[0]  # list(f(...)) adds a list, nothing of the service
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) \
                or not isinstance(call.func.value, ast.Name) \
                or not inspect.ismodule(names.get(call.func.value.id)):
            continue  # a method of self, a query of a model class...
        given = [arg.id for arg in call.args if isinstance(arg, ast.Name)] + \
            [kw.value.id for kw in call.keywords if isinstance(kw.value, ast.Name)]
        own = [arg.arg for arg in node.args.args[1:] + node.args.kwonlyargs]
        if given == own and "self" not in ast.unparse(call):
            found.append(node.name)
    return found


def test_no_pulls_service_method_only_hands_its_arguments_on():
    assert pass_throughs(PullsService) == []


def test_the_check_finds_a_pass_through():
    class Sample:
        def forwards(self, repository, branch):
            """Documented, yet only handing on."""
            return protection.rule_for(repository, branch)

        def listed(self, repository):
            return list(protection.rules_of(repository))

        def statement(self, repository, name):
            protection.delete_rule(repository, name)

        def adds_the_service(self, repository, number):
            return merging.merge(self, repository, number)

        def reorders(self, name, repository):
            return protection.get_rule(repository, name)

    assert pass_throughs(Sample) == ["forwards", "listed", "statement"]


def test_the_lookups_are_the_modules_functions():
    assert PullsService.protection_for is protection.rule_for
    assert PullsService.protection_rules is protection.rules_of
    assert PullsService.protection_rule is protection.get_rule
    assert PullsService.delete_protection is protection.delete_rule
    assert PullsService.review_requested_issue_ids is review_requests.requested_issue_ids
    assert PullsService.merge_styles is merging.allowed_styles
