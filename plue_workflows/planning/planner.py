"""Turn a validated Workflow into PlannedJobs: matrix rows, names, labels and settings.

Expressions in ``strategy``, ``runs-on``, ``name``, ``timeout-minutes`` and
``continue-on-error`` are evaluated here with the ``github``, ``inputs``, ``vars``,
``needs``, ``strategy`` and ``matrix`` contexts. A problem becomes a WorkflowError located in
the file (``ci.yml: jobs.build.runs-on: ...``), so the run can fail showing it.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

from plue_workflows.document import Workflow
from plue_workflows.errors import WorkflowError
from plue_workflows.expressions import (
    EvaluationContext,
    ExpressionError,
    ExpressionPart,
    contains_expression,
    interpolate_structure,
    is_truthy,
    parse_expression,
    split_template,
    to_string,
)
from plue_workflows.expressions import nodes
from plue_workflows.expressions.numbers import parse_number
from plue_workflows.graph import topological_order
from plue_workflows.jobs import JobSpec
from plue_workflows.planning.matrix import MatrixError, expand_matrix
from plue_workflows.planning.models import PlannedJob
from plue_workflows.planning.payload import job_payload


def references_context(value: Any, name: str) -> bool:
    """Whether any ``${{ }}`` inside ``value`` (nested too) reads the context ``name``."""
    if isinstance(value, dict):
        return any(references_context(item, name) for item in value.values())
    if isinstance(value, list):
        return any(references_context(item, name) for item in value)
    if not contains_expression(value):
        return False
    for part in split_template(value):
        if isinstance(part, ExpressionPart):
            tree = parse_expression(part.text)
            if tree and any(isinstance(node, nodes.ContextReference)
                            and node.name.lower() == name for node in tree.walk()):
                return True
    return False


def depends_on_needs(spec: JobSpec) -> bool:
    """Whether the job's expansion (matrix, labels, name...) reads ``needs`` outputs."""
    return bool(spec.needs) and references_context(
        [spec.raw.get(key) for key in ("strategy", "runs-on", "name", "timeout-minutes",
                                       "continue-on-error")], "needs")


def plan_workflow(workflow: Workflow, context: EvaluationContext) -> list[PlannedJob]:
    """Plan every job of a run, needed jobs first. Jobs whose expansion depends on ``needs``
    become one pending placeholder each (see PlannedJob.matrix_pending)."""
    planned: list[PlannedJob] = []
    for job_id in topological_order(workflow.needs_graph()):
        spec = workflow.jobs[job_id]
        if depends_on_needs(spec):
            planned.append(PlannedJob(job_id=job_id, name=spec.job_id, needs=spec.needs,
                                      runs_on=(), if_condition=spec.if_condition,
                                      steps=spec.steps, matrix_pending=True))
        else:
            planned.extend(plan_job(workflow, spec, context))
    return planned


class _Locator:
    """Evaluates job fields, turning errors into WorkflowErrors located in the file."""

    def __init__(self, workflow: Workflow, spec: JobSpec):
        self.file_name = workflow.file_name
        self.prefix = f"jobs.{spec.job_id}"

    def fail(self, key: str, message: str) -> WorkflowError:
        return WorkflowError(self.file_name, [(f"{self.prefix}.{key}", message)])

    def evaluate(self, key: str, value: Any, context: EvaluationContext) -> Any:
        try:
            return interpolate_structure(value, context)
        except ExpressionError as error:
            raise self.fail(key, str(error)) from None


def _with_contexts(context: EvaluationContext, **extra: Any) -> EvaluationContext:
    return replace(context, contexts={**context.contexts, **extra})


def _labels(value: Any, where: _Locator) -> tuple[tuple[str, ...], str | None]:
    group = None
    if isinstance(value, dict):
        group = to_string(value.get("group")) if value.get("group") is not None else None
        value = value.get("labels") or []
    items = value if isinstance(value, list) else [value]
    labels: list[str] = []
    for item in items:
        for label in (item if isinstance(item, list) else [item]):
            if isinstance(label, (dict, list)):
                raise where.fail("runs-on", f"a label must be a string, got {json.dumps(label)}")
            text = to_string(label).strip()
            if text and text not in labels:
                labels.append(text)
    if not labels and group is None:
        raise where.fail("runs-on", "no runner label left after evaluation")
    return tuple(labels), group


def _matrix_suffix(matrix: dict[str, Any]) -> str:
    def show(value: Any) -> str:
        if isinstance(value, (dict, list)):
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return to_string(value)

    return "(" + ", ".join(show(value) for value in matrix.values()) + ")"


def _job_name(spec: JobSpec, matrix: dict[str, Any], context: EvaluationContext,
              where: _Locator) -> str:
    if spec.name is not None and contains_expression(spec.name):
        return to_string(where.evaluate("name", spec.name, context))
    base = spec.name or spec.job_id
    return f"{base} {_matrix_suffix(matrix)}" if matrix else base


def _positive(value: Any, key: str, where: _Locator, whole: bool = False) -> float | int | None:
    if value is None:
        return None
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is None and isinstance(value, str):
        number = parse_number(value)
    if number is None or not math.isfinite(number) or number <= 0 or whole and number != int(number):
        raise where.fail(key, f"expected a {'whole ' if whole else ''}number above zero, "
                              f"got {to_string(value)!r}")
    return int(number) if float(number).is_integer() else number


def plan_job(workflow: Workflow, spec: JobSpec, context: EvaluationContext) -> list[PlannedJob]:
    """Expand one job into its matrix rows, evaluating names, labels and settings."""
    where = _Locator(workflow, spec)
    strategy = spec.strategy
    matrix_value = where.evaluate("strategy.matrix", strategy.matrix, context)
    try:
        combinations = expand_matrix(matrix_value)
    except MatrixError as error:
        raise where.fail("strategy.matrix", str(error)) from None
    fail_fast = is_truthy(where.evaluate("strategy.fail-fast", strategy.fail_fast, context))
    max_parallel = _positive(where.evaluate("strategy.max-parallel", strategy.max_parallel,
                                            context), "strategy.max-parallel", where, whole=True)
    rows = []
    for index, matrix in enumerate(combinations):
        strategy_context = {"fail-fast": fail_fast, "job-index": index,
                            "job-total": len(combinations), "max-parallel":
                            max_parallel or len(combinations)}
        row_context = _with_contexts(context, matrix=matrix, strategy=strategy_context)
        name = _job_name(spec, matrix, row_context, where)
        if spec.uses is None:
            runs_on, group = _labels(where.evaluate("runs-on", spec.runs_on, row_context), where)
        else:
            runs_on, group = (), None
        timeout = _positive(where.evaluate("timeout-minutes", spec.timeout_minutes, row_context),
                            "timeout-minutes", where)
        continue_on_error = is_truthy(where.evaluate("continue-on-error",
                                                     spec.continue_on_error, row_context))
        rows.append(PlannedJob(
            job_id=spec.job_id, name=name, needs=spec.needs, runs_on=runs_on,
            runner_group=group, matrix=matrix, if_condition=spec.if_condition,
            env={**spec.env}, outputs={**spec.outputs},
            defaults_run={**workflow.defaults_run, **spec.defaults_run},
            timeout_minutes=timeout, continue_on_error=continue_on_error,
            fail_fast=fail_fast, max_parallel=max_parallel, steps=spec.steps, uses=spec.uses,
            payload=job_payload(workflow, spec, name, runs_on, matrix),
        ))
    return rows


def run_title(workflow: Workflow, context: EvaluationContext, fallback: str) -> str:
    """The run's display title: ``run-name`` evaluated, else ``fallback`` (Gitea uses the
    head commit's first line or the pull request title)."""
    if not workflow.run_name:
        return fallback
    try:
        title = to_string(interpolate_structure(workflow.run_name, context)).strip()
    except ExpressionError as error:
        raise WorkflowError(workflow.file_name, [("run-name", str(error))]) from None
    return title or fallback
