"""Validators shared by the workflow, job and step readers; each records problems and returns
a normalised value (or a fallback) so that reading continues and every problem is reported."""

from __future__ import annotations

import re
from typing import Any, Iterable

from plue_workflows.errors import Problems
from plue_workflows.expressions import (
    STANDARD_CONTEXTS,
    ExpressionError,
    ExpressionPart,
    contains_expression,
    parse_expression,
    split_template,
    to_string,
)

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
SCALARS = (str, int, float, bool)


def check_expressions(value: Any, location: str, problems: Problems,
                      context_names: Iterable[str] = STANDARD_CONTEXTS) -> None:
    """Record a problem for every ``${{ }}`` in ``value`` (nested too) that does not parse."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_expressions(item, f"{location}.{key}", problems, context_names)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_expressions(item, f"{location}[{index}]", problems, context_names)
    elif contains_expression(value):
        try:
            for part in split_template(value):
                if isinstance(part, ExpressionPart):
                    parse_expression(part.text, context_names)
        except ExpressionError as error:
            problems.add(location, str(error))


def check_condition(value: Any, location: str, problems: Problems,
                    context_names: Iterable[str]) -> Any:
    """Validate an ``if:`` (``${{ }}`` optional); return it unchanged (None when absent)."""
    if value is None or isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    if not isinstance(value, str):
        problems.add(location, "expected an expression")
        return None
    if contains_expression(value):
        check_expressions(value, location, problems, context_names)
    else:
        try:
            parse_expression(value.strip(), context_names)
        except ExpressionError as error:
            problems.add(location, str(error))
    return value


def mapping(value: Any, location: str, problems: Problems) -> dict:
    """A mapping or nothing (None gives {})."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(location, "expected a mapping")
        return {}
    return value


def string_map(value: Any, location: str, problems: Problems) -> dict[str, str]:
    """``env``-like mappings: scalar values, kept as strings ('true', '3.1')."""
    result = {}
    for key, item in mapping(value, location, problems).items():
        if item is None:
            item = ""
        if not isinstance(item, SCALARS):
            problems.add(f"{location}.{key}", "expected a string, number or boolean")
            continue
        result[str(key)] = item if isinstance(item, str) else to_string(item)
    check_expressions(result, location, problems)
    return result


def string_list(value: Any, location: str, problems: Problems) -> tuple[str, ...]:
    """A string or a list of strings (None gives ())."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    problems.add(location, "expected a string or a list of strings")
    return ()


def optional_string(value: Any, location: str, problems: Problems) -> str | None:
    if value is None or isinstance(value, str):
        check_expressions(value, location, problems)
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return to_string(value)
    problems.add(location, "expected a string")
    return None


def flag(value: Any, default: bool, location: str, problems: Problems) -> bool | str:
    """A boolean or an expression deciding one later (``${{ matrix.experimental }}``)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if contains_expression(value):
        check_expressions(value, location, problems)
        return value
    problems.add(location, "expected true, false or an expression")
    return default


def positive_number(value: Any, default: float | None, location: str,
                    problems: Problems) -> float | int | str | None:
    """A number above zero or an expression (``timeout-minutes``, ``max-parallel``)."""
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value > 0:
            return value
        problems.add(location, "must be greater than zero")
        return default
    if contains_expression(value):
        check_expressions(value, location, problems)
        return value
    problems.add(location, "expected a number or an expression")
    return default


def unknown_keys(value: dict, allowed: Iterable[str], location: str, problems: Problems) -> None:
    allowed = set(allowed)
    for key in value:
        if key not in allowed:
            where = f"{location}.{key}" if location else str(key)
            problems.add(where, f"unknown key; expected one of {', '.join(sorted(allowed))}")
