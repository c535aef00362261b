"""Evaluate a parsed expression against an EvaluationContext."""

from __future__ import annotations

import math
from typing import Any

from plue_workflows.expressions import nodes
from plue_workflows.expressions import values as v
from plue_workflows.expressions.context import EvaluationContext
from plue_workflows.expressions.errors import ExpressionError
from plue_workflows.expressions.functions import FunctionFailed, call_function

_ABSENT = object()
# Like GitHub's runner, cap what one evaluation may build (UTF-16 bytes of function results)
# so format()/toJSON() cannot be used to blow up the server's memory.
MAX_MEMORY_BYTES = 1 << 20


def evaluate_tree(tree: nodes.Node | None, expression: str, context: EvaluationContext) -> Any:
    """The value of a syntax tree (None for an empty expression); raise ExpressionError."""
    if tree is None:
        return None
    return _Evaluator(expression, context).evaluate(tree)


class _Evaluator:
    def __init__(self, expression: str, context: EvaluationContext):
        self.expression = expression
        self.context = context
        self.memory = 0

    def evaluate(self, node: nodes.Node) -> Any:
        if isinstance(node, nodes.Literal):
            return node.value
        if isinstance(node, nodes.ContextReference):
            return self.context.context(node.name)
        if isinstance(node, nodes.Group):
            return self.evaluate(node.inner)
        if isinstance(node, nodes.Not):
            return not v.is_truthy(self.evaluate(node.operand))
        if isinstance(node, nodes.Logical):
            return self.logical(node)
        if isinstance(node, nodes.Comparison):
            return self.comparison(node)
        if isinstance(node, nodes.Index):
            return self.index(node)
        if isinstance(node, nodes.Call):
            arguments = [self.evaluate(argument) for argument in node.arguments]
            try:
                result = call_function(node.name, arguments, self.context)
            except FunctionFailed as error:
                raise ExpressionError(str(error), self.expression) from None
            if isinstance(result, str):
                self.memory += 2 * len(result)
                if self.memory > MAX_MEMORY_BYTES:
                    raise ExpressionError(
                        "The maximum allowed memory size was exceeded", self.expression[:200])
            return result
        raise ExpressionError(f"Cannot evaluate {type(node).__name__}", self.expression)

    def logical(self, node: nodes.Logical) -> Any:
        # Short-circuit and return the operand that decided, not a boolean (a || 'default').
        result = None
        for operand in node.operands:
            result = self.evaluate(operand)
            if v.is_truthy(result) == (node.operator == "||"):
                break
        return result

    def comparison(self, node: nodes.Comparison) -> bool:
        left, right = self.evaluate(node.left), self.evaluate(node.right)
        operator = node.operator
        if operator == "==":
            return v.loose_equals(left, right)
        if operator == "!=":
            return not v.loose_equals(left, right)
        order = v.compare(left, right)
        if order is None:
            return False
        return {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0}[operator]

    def index(self, node: nodes.Index) -> Any:
        star = isinstance(node.index, nodes.Star)
        key = position = None
        if not star:
            index = self.evaluate(node.index)
            key = v.to_string(index) if v.is_primitive(index) else None
            number = v.to_number(index)
            position = math.floor(number) if math.isfinite(number) and number >= 0 else None
        target = self.evaluate(node.target)
        kind = v.kind_of(target)
        if isinstance(target, v.FilteredArray):
            result = v.FilteredArray()
            for item in target:
                result.extend(_select_all(item, star, key, position))
            return result
        if star:
            if kind == v.ARRAY:
                return v.FilteredArray(target)
            if kind == v.OBJECT:
                return v.FilteredArray(target.values())
            return v.FilteredArray()
        found = _select(target, key, position)
        return None if found is _ABSENT else found


def _select(target: Any, key: str | None, position: int | None) -> Any:
    """One element of an array or object, or _ABSENT."""
    kind = v.kind_of(target)
    if kind == v.ARRAY:
        if position is not None and position < len(target):
            return target[position]
    elif kind == v.OBJECT and key is not None:
        found, value = v.find_key(target, key)
        if found:
            return value
    return _ABSENT


def _select_all(item: Any, star: bool, key: str | None, position: int | None) -> list:
    """What a filter step contributes for one element of a filtered array."""
    kind = v.kind_of(item)
    if star:
        if kind == v.ARRAY:
            return list(item)
        if kind == v.OBJECT:
            return list(item.values())
        return []
    found = _select(item, key, position)
    return [] if found is _ABSENT else [found]
