"""``strategy.matrix`` expansion with GitHub's include/exclude rules.

1. The cartesian product of the matrix variables, in the order they are written.
2. ``exclude`` removes every combination that matches an entry (a partial match suffices).
3. Each ``include`` entry is merged into every combination whose *original* variables agree
   with it (values it adds may overwrite values an earlier include added); an entry that fits
   no combination becomes a new combination of its own (and later includes never merge
   into it).
"""

from __future__ import annotations

from itertools import product
from typing import Any

MAX_COMBINATIONS = 256


class MatrixError(ValueError):
    """The matrix cannot be expanded; the message says why."""


def _same(left: Any, right: Any) -> bool:
    """JSON equality: true is not 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right))
    return left == right


def _matches_partially(value: Any, pattern: Any) -> bool:
    if isinstance(value, dict) and isinstance(pattern, dict):
        return all(key in value and _matches_partially(value[key], item)
                   for key, item in pattern.items())
    return _same(value, pattern)


def _entries(matrix: dict, key: str) -> list[dict]:
    entries = matrix.get(key) or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MatrixError(f"matrix {key} must be a list of mappings")
    return entries


def expand_matrix(matrix: dict | None) -> list[dict[str, Any]]:
    """Every combination of the matrix, each a dict in variable order; [{}] for no matrix."""
    if matrix is None:
        return [{}]
    if not isinstance(matrix, dict):
        raise MatrixError("the matrix must be a mapping of variables to lists of values")
    include, exclude = _entries(matrix, "include"), _entries(matrix, "exclude")
    variables = {key: values for key, values in matrix.items() if key not in ("include", "exclude")}
    for key, values in variables.items():
        if not isinstance(values, list) or not values:
            raise MatrixError(f"matrix variable {key!r} needs a non-empty list of values")
    for entry in exclude:
        for key in entry:
            if key not in variables:
                raise MatrixError(f"matrix exclude key {key!r} is not a matrix variable")
    size = 1
    for values in variables.values():
        size *= len(values)
    if variables and size > 100 * MAX_COMBINATIONS:
        raise MatrixError(f"the matrix has {size} combinations; at most {MAX_COMBINATIONS} "
                          f"jobs may be generated")
    combinations = [dict(zip(variables, values)) for values in product(*variables.values())] \
        if variables else []
    combinations = [combination for combination in combinations
                    if not any(_matches_partially(combination, entry) for entry in exclude)]
    added: list[dict[str, Any]] = []
    for entry in include:
        merged = False
        for combination in combinations:
            if all(_same(combination[key], value) for key, value in entry.items()
                   if key in variables):
                combination.update(entry)
                merged = True
        if not merged:
            added.append(dict(entry))
    result = combinations + added
    if not result:
        raise MatrixError("the matrix produces no job: every combination is excluded")
    if len(result) > MAX_COMBINATIONS:
        raise MatrixError(f"the matrix produces {len(result)} jobs; at most "
                          f"{MAX_COMBINATIONS} are allowed")
    return result
