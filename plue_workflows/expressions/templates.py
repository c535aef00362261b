"""Strings with ``${{ }}`` parts, and ``if:`` conditions.

A value that is exactly one ``${{ expr }}`` keeps the expression's type (so
``strategy.matrix: ${{ fromJSON(...) }}`` yields an object); any other template yields a string
in which each part is replaced by its string coercion. ``}}`` inside a quoted string does not
close an expression.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from plue_workflows.expressions import nodes
from plue_workflows.expressions import values as v
from plue_workflows.expressions.context import STANDARD_CONTEXTS, EvaluationContext
from plue_workflows.expressions.errors import ExpressionError
from plue_workflows.expressions.evaluator import evaluate_tree
from plue_workflows.expressions.parser import parse
from plue_workflows.expressions.signatures import STATUS_FUNCTIONS

OPEN, CLOSE = "${{", "}}"


@dataclass(frozen=True)
class ExpressionPart:
    """The text between ``${{`` and ``}}`` of a template, stripped."""

    text: str


@lru_cache(maxsize=4096)
def _parse_cached(expression: str, context_names: frozenset[str]) -> nodes.Node | None:
    return parse(expression, context_names)


def parse_expression(expression: str, context_names: Iterable[str] = STANDARD_CONTEXTS):
    """Parse expression text (without ``${{ }}``); None when empty. Raise ExpressionError."""
    return _parse_cached(expression, frozenset(name.lower() for name in context_names))


def evaluate_expression(expression: str, context: EvaluationContext) -> Any:
    """Evaluate expression text (without ``${{ }}``) and return its value."""
    tree = parse_expression(expression, context.context_names())
    return evaluate_tree(tree, expression, context)


def split_template(template: str) -> list[str | ExpressionPart]:
    """Literal text and ExpressionParts, in order; raise ExpressionError if one is unclosed."""
    parts: list[str | ExpressionPart] = []
    position = 0
    while True:
        start = template.find(OPEN, position)
        if start < 0:
            if position < len(template):
                parts.append(template[position:])
            return parts
        if start > position:
            parts.append(template[position:start])
        end, quoted, cursor = -1, False, start + len(OPEN)
        while cursor < len(template):
            if template[cursor] == "'":
                quoted = not quoted
            elif not quoted and template.startswith(CLOSE, cursor):
                end = cursor
                break
            cursor += 1
        if end < 0:
            raise ExpressionError(
                "The expression is not closed: '${{' was found without a matching '}}'", template)
        inner = template[start + len(OPEN):end].strip()
        if not inner:
            raise ExpressionError("An expression was expected between '${{' and '}}'", template)
        parts.append(ExpressionPart(inner))
        position = end + len(CLOSE)


def contains_expression(value: Any) -> bool:
    """Whether a value is a string holding a ``${{`` expression."""
    return isinstance(value, str) and OPEN in value


def interpolate(template: Any, context: EvaluationContext) -> Any:
    """Render a template. Non-strings are returned unchanged."""
    if not contains_expression(template):
        return template
    parts = split_template(template)
    if len(parts) == 1 and isinstance(parts[0], ExpressionPart):
        return evaluate_expression(parts[0].text, context)
    return "".join(
        v.to_string(evaluate_expression(part.text, context))
        if isinstance(part, ExpressionPart) else part
        for part in parts
    )


def interpolate_structure(value: Any, context: EvaluationContext) -> Any:
    """Render every string inside nested lists and mappings (keys stay as written)."""
    if isinstance(value, dict):
        return {key: interpolate_structure(item, context) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [interpolate_structure(item, context) for item in value]
    return interpolate(value, context)


def uses_status_function(tree: nodes.Node | None) -> bool:
    """Whether an expression calls success(), failure(), cancelled() or always()."""
    if tree is None:
        return False
    return any(isinstance(node, nodes.Call) and node.name.lower() in STATUS_FUNCTIONS
               for node in tree.walk())


def evaluate_condition(condition: Any, context: EvaluationContext) -> bool:
    """Decide an ``if:``. ``${{ }}`` is optional; without a status function the condition
    means ``success() && (condition)``; an absent or empty condition means ``success()``."""
    names = context.context_names()
    if condition is None or isinstance(condition, str) and not condition.strip():
        return evaluate_tree(parse_expression("success()", names), "success()", context)
    if not isinstance(condition, str):
        condition = v.to_string(condition)  # YAML `if: true` / `if: 0`
    parts = split_template(condition.strip())
    expressions = [part.text for part in parts if isinstance(part, ExpressionPart)]
    if not expressions:
        expression = condition.strip()
    elif len(parts) == 1:
        expression = expressions[0]
    else:
        # Text around ${{ }} makes a string, truthy when non-empty (GitHub's behaviour too).
        trees = [parse_expression(text, names) for text in expressions]
        explicit = any(uses_status_function(tree) for tree in trees)
        if not explicit and not _succeeded(context):
            return False
        return v.is_truthy(interpolate(condition, context))
    tree = parse_expression(expression, names)
    if not uses_status_function(tree) and not _succeeded(context):
        return False
    return v.is_truthy(evaluate_tree(tree, expression, context))


def _succeeded(context: EvaluationContext) -> bool:
    return evaluate_tree(parse_expression("success()"), "success()", context)
