"""The issues service's members follow docs/plugins.md ("Services"): a lookup or rule it only
exposes is the module's function named as an attribute (``name = staticmethod(...)``); a
method adds something of the service (its ctx, another service, a transaction, an event).
So no method merely hands its arguments on to a module function."""

from __future__ import annotations

import ast
import inspect
import textwrap

from plue_issues import comments, labels, milestones, numbering
from plue_issues.service import IssuesService


def pass_throughs(cls) -> list[str]:
    """Methods whose whole body (docstring aside) returns ``module.function(<its own
    parameters, in order>)`` without touching ``self``."""
    found = []
    for node in ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body:
        if not isinstance(node, ast.FunctionDef):
            continue
        body = [stmt for stmt in node.body
                if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
        if len(body) != 1 or not isinstance(body[0], ast.Return):
            continue
        call = body[0].value
        if isinstance(call, ast.Call) and call.func.__class__ is ast.Call:
            call = call.func  # list(f(...)) adds a list, nothing of the service
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) \
                or not isinstance(call.func.value, ast.Name) or call.func.value.id == "self":
            continue
        given = [arg.id for arg in call.args if isinstance(arg, ast.Name)] + \
            [kw.value.id for kw in call.keywords if isinstance(kw.value, ast.Name)]
        own = [arg.arg for arg in node.args.args[1:] + node.args.kwonlyargs]
        if given == own and "self" not in ast.unparse(call):
            found.append(node.name)
    return found


def test_no_issues_service_method_only_hands_its_arguments_on():
    assert pass_throughs(IssuesService) == []


def test_the_check_finds_a_pass_through():
    class Sample:
        def forwards(self, repository, label_ids):
            """Documented, yet only handing on."""
            return labels.labels_by_ids(repository, label_ids)

        def adds_context(self, issue):
            return comments.create_comment(self.ctx, issue)

    assert pass_throughs(Sample) == ["forwards"]


def test_the_lookups_are_the_modules_functions():
    assert IssuesService.allocate_number is numbering.allocate_number
    assert IssuesService.comments_of_issue is comments.comments_of_issue
    assert IssuesService.labels_by_ids is labels.labels_by_ids
    assert IssuesService.labels_from_option is labels.labels_from_option
    assert IssuesService.labels_of_issue is labels.labels_of_issue
    assert IssuesService.usable_labels is labels.usable_labels
    assert IssuesService.open_milestones is milestones.open_milestones
    assert IssuesService.milestone_by_id is milestones.milestone_by_id
