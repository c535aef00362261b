"""``workflow_dispatch`` inputs: their declaration, and the values a dispatch request gives.

Resolved values form the ``inputs`` context: booleans are booleans and numbers numbers (as
GitHub gives them to ``inputs``), strings, choices and environments are strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from plue_core.errors import Invalid
from plue_workflows.errors import Problems
from plue_workflows.expressions import to_string
from plue_workflows.expressions.numbers import parse_number

INPUT_TYPES = ("string", "boolean", "choice", "number", "environment")
_INPUT_KEYS = {"description", "required", "default", "type", "options", "deprecationMessage"}


class DispatchInputError(Invalid):
    """The inputs of a dispatch request do not fit the workflow's declaration."""


@dataclass(frozen=True)
class DispatchInput:
    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    default: Any = None
    options: tuple[str, ...] = ()


def _as_boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _as_number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    number = float(value) if isinstance(value, (int, float)) else parse_number(str(value))
    if not math.isfinite(number) or isinstance(value, str) and not value.strip():
        return None
    return int(number) if number.is_integer() else number


def parse_dispatch_inputs(config: Any, location: str, problems: Problems) -> dict[str, DispatchInput]:
    """Validate ``on.workflow_dispatch.inputs`` into DispatchInput objects by name."""
    if not isinstance(config, dict):
        problems.add(location, "expected a mapping of input names to definitions")
        return {}
    inputs = {}
    for name, spec in config.items():
        where = f"{location}.{name}"
        spec = {} if spec is None else spec
        if not isinstance(spec, dict):
            problems.add(where, "expected a mapping (description, type, default, required...)")
            continue
        for key in set(spec) - _INPUT_KEYS:
            problems.add(f"{where}.{key}", f"unknown key; inputs accept {', '.join(sorted(_INPUT_KEYS))}")
        kind = spec.get("type", "string")
        if kind not in INPUT_TYPES:
            problems.add(f"{where}.type", f"unknown input type {kind!r}; expected one of "
                         f"{', '.join(INPUT_TYPES)}")
            continue
        options: tuple[str, ...] = ()
        if kind == "choice":
            raw = spec.get("options")
            if not isinstance(raw, list) or not raw:
                problems.add(f"{where}.options", "a choice input needs a non-empty options list")
                continue
            options = tuple(str(option) for option in raw)
        default = spec.get("default")
        if default is not None:
            if kind == "boolean" and _as_boolean(default) is None:
                problems.add(f"{where}.default", "a boolean input's default must be true or false")
            elif kind == "number" and _as_number(default) is None:
                problems.add(f"{where}.default", "a number input's default must be a number")
            elif kind == "choice" and str(default) not in options:
                problems.add(f"{where}.default", f"default {default!r} is not one of the options")
        required = spec.get("required", False)
        if not isinstance(required, bool):
            problems.add(f"{where}.required", "expected true or false")
            required = False
        description = spec.get("description") or ""
        inputs[str(name)] = DispatchInput(str(name), kind, str(description), required,
                                          default, options)
    return inputs


def resolve_dispatch_inputs(declared: Mapping[str, DispatchInput],
                            provided: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``inputs`` context for a dispatch: provided values checked and typed, defaults
    filled in. Raise DispatchInputError naming every unexpected, missing or bad input."""
    provided = dict(provided or {})
    problems: list[str] = []
    unexpected = sorted(set(provided) - set(declared))
    if unexpected:
        problems.append(f"Unexpected inputs provided: {unexpected}")
    resolved: dict[str, Any] = {}
    for name, spec in declared.items():
        value = provided.get(name, spec.default)
        if value is None or (value == "" and spec.type != "string"):
            if spec.required:
                problems.append(f"Required input '{name}' not provided")
            resolved[name] = {"boolean": False, "number": None}.get(spec.type, "")
            continue
        if spec.type == "boolean":
            resolved[name] = _as_boolean(value)
            if resolved[name] is None:
                problems.append(f"Input '{name}' must be true or false, got {value!r}")
        elif spec.type == "number":
            resolved[name] = _as_number(value)
            if resolved[name] is None:
                problems.append(f"Input '{name}' must be a number, got {value!r}")
        elif spec.type == "choice":
            resolved[name] = str(value)
            if resolved[name] not in spec.options:
                problems.append(f"Input '{name}' must be one of {list(spec.options)}, got {value!r}")
        else:
            if isinstance(value, (dict, list)):
                problems.append(f"Input '{name}' must be a string")
            resolved[name] = value if isinstance(value, str) else to_string(value)
    if problems:
        raise DispatchInputError("; ".join(problems))
    return resolved

