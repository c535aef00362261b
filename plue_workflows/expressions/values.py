"""Expression values and GitHub's coercion rules.

Values are plain Python: None, bool, int/float (numbers), str, list/tuple (arrays) and
mappings (objects). Object keys are case-insensitive. Comparisons coerce like JavaScript's
loose equality except that arrays and objects are never converted (they are only equal to
themselves), strings compare ignoring case, and NaN is never equal, less or greater.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from plue_workflows.expressions.numbers import javascript_number, number_to_string, parse_number

NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT = "Null", "Boolean", "Number", "String", "Array", "Object"


class FilteredArray(list):
    """The result of a ``*`` filter: a further ``.name`` applies to every element."""


def kind_of(value: Any) -> str:
    """The expression type of a Python value (GitHub's names: Null, Boolean, Number...)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, (list, tuple)):
        return ARRAY
    if isinstance(value, Mapping):
        return OBJECT
    return STRING  # anything else (e.g. a date from a payload) behaves as its text


def is_primitive(value: Any) -> bool:
    return kind_of(value) not in (ARRAY, OBJECT)


def to_number(value: Any) -> float:
    """Number coercion: null 0, true 1, false 0, strings parsed as JSON/JS numbers, else NaN."""
    kind = kind_of(value)
    if kind == NULL:
        return 0.0
    if kind == BOOLEAN:
        return 1.0 if value else 0.0
    if kind == NUMBER:
        return float(value)
    if kind == STRING:
        return parse_number(str(value))
    return math.nan


def to_string(value: Any) -> str:
    """String coercion: null '', booleans 'true'/'false', numbers JS-style, 'Array', 'Object'."""
    kind = kind_of(value)
    if kind == NULL:
        return ""
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind == NUMBER:
        return number_to_string(float(value))
    if kind == STRING:
        return str(value)
    return kind


def is_truthy(value: Any) -> bool:
    """false, 0, -0, NaN, '' and null are falsy; everything else (even [] and {}) is truthy."""
    kind = kind_of(value)
    if kind == NULL:
        return False
    if kind == BOOLEAN:
        return value
    if kind == NUMBER:
        return not (value == 0 or math.isnan(value))
    if kind == STRING:
        return str(value) != ""
    return True


def fold_case(text: str) -> str:
    """Upper-case for case-insensitive comparison, leaving the dotless ı alone as GitHub does."""
    return "ı".join(part.upper() for part in text.split("ı"))


def _coerce(left: Any, right: Any) -> tuple[Any, Any, str, str]:
    """Bring two values to a common type for comparison: booleans/null become numbers, and a
    string meeting a number becomes a number. Arrays and objects are left alone."""
    left_kind, right_kind = kind_of(left), kind_of(right)
    if left_kind in (NULL, BOOLEAN) and left_kind != right_kind:
        left, left_kind = to_number(left), NUMBER
    if right_kind in (NULL, BOOLEAN) and left_kind != right_kind:
        right, right_kind = to_number(right), NUMBER
    if left_kind == NUMBER and right_kind == STRING:
        right, right_kind = to_number(right), NUMBER
    elif left_kind == STRING and right_kind == NUMBER:
        left, left_kind = to_number(left), NUMBER
    return left, right, left_kind, right_kind


def loose_equals(left: Any, right: Any) -> bool:
    """GitHub's ``==``."""
    left, right, left_kind, right_kind = _coerce(left, right)
    if left_kind != right_kind:
        return False
    if left_kind == NULL:
        return True
    if left_kind == NUMBER:
        return float(left) == float(right)  # NaN compares unequal by itself
    if left_kind == STRING:
        return fold_case(str(left)) == fold_case(str(right))
    if left_kind == BOOLEAN:
        return left == right
    return left is right  # arrays and objects: the same instance only


def compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 for ordered values after coercion; None when they cannot be ordered."""
    left, right, left_kind, right_kind = _coerce(left, right)
    if left_kind != right_kind:
        return None
    if left_kind == NUMBER:
        a, b = float(left), float(right)
    elif left_kind == STRING:
        a, b = fold_case(str(left)), fold_case(str(right))
    elif left_kind == BOOLEAN:
        a, b = bool(left), bool(right)
    else:
        return None
    if a != a or b != b:  # NaN
        return None
    return (a > b) - (a < b)


def find_key(mapping: Mapping, key: str) -> tuple[bool, Any]:
    """Case-insensitive property access: (found, value). The first spelling wins."""
    if key in mapping:
        return True, mapping[key]
    folded = key.lower()
    for candidate, value in mapping.items():
        if isinstance(candidate, str) and candidate.lower() == folded:
            return True, value
    return False, None


def lookup(mapping: Mapping, key: str) -> Any:
    """Case-insensitive property access; None when absent."""
    return find_key(mapping, key)[1]


def to_json(value: Any, indent: str = "") -> str:
    """``toJSON``: pretty-printed JSON with two-space indentation, numbers printed JS-style."""
    kind = kind_of(value)
    if kind == NULL:
        return "null"
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind == NUMBER:
        number = float(value)
        return javascript_number(number) if math.isfinite(number) else "null"
    if kind == STRING:
        return json.dumps(str(value), ensure_ascii=False)
    inner = indent + "  "
    if kind == ARRAY:
        if not value:
            return "[]"
        items = (inner + to_json(item, inner) for item in value)
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    if not value:
        return "{}"
    pairs = (f"{inner}{json.dumps(str(key), ensure_ascii=False)}: {to_json(item, inner)}"
             for key, item in value.items())
    return "{\n" + ",\n".join(pairs) + "\n" + indent + "}"
