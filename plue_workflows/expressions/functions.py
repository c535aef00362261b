"""The built-in expression functions (argument counts live in ``signatures``).

Every function receives already-evaluated arguments; string work is case-insensitive and
casts with the expression coercion rules, as GitHub documents.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from plue_workflows.expressions import values as v
from plue_workflows.expressions.context import CANCELLED, FAILURE, SUCCESS, EvaluationContext
from plue_workflows.expressions.hash_files import hash_files


class FunctionFailed(Exception):
    """A function refused its arguments; the evaluator adds the expression to the message."""


def contains(search: Any, item: Any) -> bool:
    if v.is_primitive(search):
        if not v.is_primitive(item):
            return False
        return v.to_string(item).lower() in v.to_string(search).lower()
    if v.kind_of(search) == v.ARRAY:
        return any(v.loose_equals(item, element) for element in search)
    return False


def starts_with(text: Any, prefix: Any) -> bool:
    if not (v.is_primitive(text) and v.is_primitive(prefix)):
        return False
    return v.fold_case(v.to_string(text)).startswith(v.fold_case(v.to_string(prefix)))


def ends_with(text: Any, suffix: Any) -> bool:
    if not (v.is_primitive(text) and v.is_primitive(suffix)):
        return False
    return v.fold_case(v.to_string(text)).endswith(v.fold_case(v.to_string(suffix)))


def format_string(template: Any, *arguments: Any) -> str:
    """``format('{0} {1}', a, b)``; ``{{`` and ``}}`` are literal braces."""
    text = v.to_string(template)
    out: list[str] = []
    index = 0
    while index < len(text):
        left, right = text.find("{", index), text.find("}", index)
        if left >= 0 and (right < 0 or right > left):
            if text[left + 1:left + 2] == "{":
                out.append(text[index:left + 1])
                index = left + 2
                continue
            digits = _leading_digits(text, left + 1) if right > left + 1 else ""
            if digits:
                if int(digits) >= len(arguments):
                    raise FunctionFailed(
                        f"The following format string references more arguments than were "
                        f"supplied: {text}")
                out.append(text[index:left])
                out.append(v.to_string(arguments[int(digits)]))
                index = right + 1
                continue
            raise FunctionFailed(f"The following format string is invalid: {text}")
        if right >= 0:
            if text[right + 1:right + 2] != "}":
                raise FunctionFailed(f"The following format string is invalid: {text}")
            out.append(text[index:right + 1])
            index = right + 2
        else:
            out.append(text[index:])
            break
    return "".join(out)


def _leading_digits(text: str, start: int) -> str:
    end = start
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    return text[start:end]


def join(items: Any, separator: Any = ",") -> str:
    if v.is_primitive(items):
        return v.to_string(items)
    if v.kind_of(items) != v.ARRAY:
        return ""
    glue = v.to_string(separator) if v.is_primitive(separator) else ","
    return glue.join(v.to_string(item) for item in items)


def from_json(text: Any) -> Any:
    source = v.to_string(text)
    if source.strip() == "":
        raise FunctionFailed("fromJSON: empty input")

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(source, parse_constant=refuse_constant)
    except ValueError as error:
        raise FunctionFailed(f"Error parsing fromJSON: {error}") from None


def case(*arguments: Any) -> Any:
    """``case(pred1, value1, pred2, value2, ..., default)``: the value of the first true pred."""
    for index in range(0, len(arguments) - 1, 2):
        predicate = arguments[index]
        if not isinstance(predicate, bool):
            raise FunctionFailed("case predicate must evaluate to a boolean value")
        if predicate:
            return arguments[index + 1]
    return arguments[-1]


def _hash_files(context: EvaluationContext, *patterns: Any) -> str:
    if context.workspace is None:
        raise FunctionFailed("hashFiles is only available where a workspace exists (in steps)")
    try:
        return hash_files(context.workspace, [v.to_string(p) for p in patterns])
    except ValueError as error:
        raise FunctionFailed(f"hashFiles: {error}") from None


_PLAIN: dict[str, Callable[..., Any]] = {
    "contains": contains,
    "startswith": starts_with,
    "endswith": ends_with,
    "format": format_string,
    "join": join,
    "tojson": lambda value: v.to_json(value),
    "fromjson": from_json,
    "case": case,
}

_WITH_CONTEXT: dict[str, Callable[..., Any]] = {
    "hashfiles": _hash_files,
    "success": lambda context: context.status == SUCCESS and not context.cancelled,
    "failure": lambda context: context.status == FAILURE,
    "cancelled": lambda context: context.cancelled or context.status == CANCELLED,
    "always": lambda context: True,
}


def call_function(name: str, arguments: list[Any], context: EvaluationContext) -> Any:
    """Call a built-in function by (case-insensitive) name; raise FunctionFailed."""
    folded = name.lower()
    if folded in _PLAIN:
        return _PLAIN[folded](*arguments)
    return _WITH_CONTEXT[folded](context, *arguments)
