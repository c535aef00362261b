"""Jobs of a workflow as written: one JobSpec per ``jobs:`` entry, validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plue_workflows import fields as f
from plue_workflows.errors import Problems
from plue_workflows.expressions import contains_expression
from plue_workflows.steps import StepSpec, parse_steps

JOB_KEYS = ("name", "permissions", "needs", "if", "runs-on", "environment", "concurrency",
            "outputs", "env", "defaults", "steps", "timeout-minutes", "strategy",
            "continue-on-error", "container", "services", "uses", "with", "secrets")
JOB_IF_CONTEXTS = ("github", "gitea", "needs", "vars", "inputs")
RUNS_ON_CONTEXTS = ("github", "gitea", "needs", "strategy", "matrix", "vars", "inputs")
DEFAULT_TIMEOUT_MINUTES = 360
_STRATEGY_KEYS = ("matrix", "fail-fast", "max-parallel")


@dataclass(frozen=True)
class StrategySpec:
    """``strategy`` as written; the matrix may be an expression evaluated at planning time."""

    matrix: dict | str | None = None
    fail_fast: bool | str = True
    max_parallel: int | str | None = None


@dataclass(frozen=True)
class JobSpec:
    job_id: str
    name: str | None = None
    needs: tuple[str, ...] = ()
    if_condition: Any = None
    runs_on: Any = None  # string, list or {group, labels}; may hold expressions
    strategy: StrategySpec = field(default_factory=StrategySpec)
    env: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    defaults_run: dict[str, str] = field(default_factory=dict)
    timeout_minutes: float | int | str = DEFAULT_TIMEOUT_MINUTES
    continue_on_error: bool | str = False
    steps: tuple[StepSpec, ...] = ()
    uses: str | None = None  # a reusable workflow call instead of steps
    raw: dict = field(default_factory=dict)  # the mapping as written, for the job payload


def _parse_runs_on(value: Any, location: str, problems: Problems) -> Any:
    if isinstance(value, str) and value.strip():
        f.check_expressions(value, location, problems, RUNS_ON_CONTEXTS)
        return value
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        f.check_expressions(value, location, problems, RUNS_ON_CONTEXTS)
        return value
    if isinstance(value, dict):
        f.unknown_keys(value, ("group", "labels"), location, problems)
        if "group" not in value and "labels" not in value:
            problems.add(location, "a runs-on mapping needs group or labels")
        f.string_list(value.get("labels"), f"{location}.labels", problems)
        return value
    problems.add(location, "expected a runner label, a list of labels or {group, labels}")
    return None


def _parse_matrix(value: Any, location: str, problems: Problems) -> dict | str | None:
    if value is None:
        return None
    if contains_expression(value):
        f.check_expressions(value, location, problems, RUNS_ON_CONTEXTS)
        return value
    if not isinstance(value, dict) or not value:
        problems.add(location, "expected a non-empty mapping of variables to value lists")
        return None
    for key, values in value.items():
        where = f"{location}.{key}"
        if contains_expression(values):
            f.check_expressions(values, where, problems, RUNS_ON_CONTEXTS)
        elif key in ("include", "exclude"):
            if not isinstance(values, list) or not all(isinstance(item, dict) for item in values):
                problems.add(where, "expected a list of mappings")
        elif not isinstance(values, list) or not values:
            problems.add(where, "a matrix variable needs a non-empty list of values")
    return value


def _parse_strategy(value: Any, location: str, problems: Problems) -> StrategySpec:
    if value is None:
        return StrategySpec()
    if not isinstance(value, dict):
        problems.add(location, "expected a mapping with matrix, fail-fast and max-parallel")
        return StrategySpec()
    f.unknown_keys(value, _STRATEGY_KEYS, location, problems)
    max_parallel = f.positive_number(value.get("max-parallel"), None, f"{location}.max-parallel",
                                     problems)
    if isinstance(max_parallel, float):
        problems.add(f"{location}.max-parallel", "expected a whole number")
        max_parallel = None
    return StrategySpec(
        matrix=_parse_matrix(value.get("matrix"), f"{location}.matrix", problems),
        fail_fast=f.flag(value.get("fail-fast"), True, f"{location}.fail-fast", problems),
        max_parallel=max_parallel,
    )


def _parse_defaults_run(value: Any, location: str, problems: Problems) -> dict[str, str]:
    defaults = f.mapping(value, location, problems)
    f.unknown_keys(defaults, ("run",), location, problems)
    run = f.mapping(defaults.get("run"), f"{location}.run", problems)
    f.unknown_keys(run, ("shell", "working-directory"), f"{location}.run", problems)
    return {key: str(item) for key, item in run.items() if key in ("shell", "working-directory")}


def parse_job(job_id: Any, raw: Any, problems: Problems) -> JobSpec | None:
    """Validate one job; record problems and return None if it cannot be used at all."""
    location = f"jobs.{job_id}"
    if not (isinstance(job_id, str) and f.IDENTIFIER.match(job_id)):
        problems.add(location, "a job id must start with a letter or _ and contain only "
                     "letters, digits, - and _")
        return None
    if not isinstance(raw, dict):
        problems.add(location, "a job must be a mapping")
        return None
    f.unknown_keys(raw, JOB_KEYS, location, problems)
    uses = raw.get("uses")
    if uses is not None:
        if not isinstance(uses, str):
            problems.add(f"{location}.uses", "expected the path of a reusable workflow")
            uses = None
        if "steps" in raw:
            problems.add(location, "a job calling a reusable workflow (uses) cannot have steps")
        runs_on, steps = None, ()
    else:
        if "runs-on" not in raw:
            problems.add(location, "runs-on is required")
            runs_on = None
        else:
            runs_on = _parse_runs_on(raw["runs-on"], f"{location}.runs-on", problems)
        steps = parse_steps(raw.get("steps"), f"{location}.steps", problems)
    outputs = f.string_map(raw.get("outputs"), f"{location}.outputs", problems)
    return JobSpec(
        job_id=job_id,
        name=f.optional_string(raw.get("name"), f"{location}.name", problems),
        needs=f.string_list(raw.get("needs"), f"{location}.needs", problems),
        if_condition=f.check_condition(raw.get("if"), f"{location}.if", problems, JOB_IF_CONTEXTS),
        runs_on=runs_on,
        strategy=_parse_strategy(raw.get("strategy"), f"{location}.strategy", problems),
        env=f.string_map(raw.get("env"), f"{location}.env", problems),
        outputs=outputs,
        defaults_run=_parse_defaults_run(raw.get("defaults"), f"{location}.defaults", problems),
        timeout_minutes=f.positive_number(raw.get("timeout-minutes"), DEFAULT_TIMEOUT_MINUTES,
                                          f"{location}.timeout-minutes", problems),
        continue_on_error=f.flag(raw.get("continue-on-error"), False,
                                 f"{location}.continue-on-error", problems),
        steps=steps,
        uses=uses,
        raw=raw,
    )
