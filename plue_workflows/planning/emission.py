"""Moving blocked jobs on when the jobs they need finish (Gitea's job emitter), fail-fast,
and max-parallel. Pure functions over job rows; the caller persists the decisions. Call
``resolve_blocked_jobs`` right after creating a run too: it decides the ``if:`` of jobs that
need nothing.

A Blocked row whose needed jobs are all done has its ``if:`` evaluated with the ``needs``
context and a status taken from all its ancestors: ``success()`` holds only if every
ancestor succeeded, ``failure()`` if one failed. True makes it Waiting, false Skipped, and an
expression error fails it. Decisions repeat until nothing changes, so a skip propagates down
a chain in one call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from plue_workflows.expressions import (
    FAILURE,
    SKIPPED,
    SUCCESS,
    EvaluationContext,
    ExpressionError,
    evaluate_condition,
)
from plue_workflows.graph import ancestors
from plue_workflows.statuses import Status, needs_result

_ACTIVE = (Status.WAITING, Status.BLOCKED, Status.RUNNING)


@dataclass
class JobRow:
    """The parts of a stored job row the emitter reads."""

    key: Any  # the caller's id for the row
    job_id: str
    needs: tuple[str, ...] = ()
    status: Status = Status.WAITING
    if_condition: Any = None
    continue_on_error: bool = False
    outputs: dict[str, str] = field(default_factory=dict)
    fail_fast: bool = True
    max_parallel: int | None = None
    matrix_pending: bool = False  # a placeholder to expand with planner.plan_job


@dataclass(frozen=True)
class Transition:
    """A decision for one row. ``expand`` asks the caller to replace a pending placeholder by
    ``plan_job`` rows, evaluated with ``needs`` (the needs context the decision used)."""

    key: Any
    status: Status
    reason: str = ""
    expand: bool = False
    needs: dict = field(default_factory=dict)


def _results(rows: Sequence[JobRow]) -> dict[str, str]:
    by_job: dict[str, list] = {}
    for row in rows:
        by_job.setdefault(row.job_id, []).append((row.status, row.continue_on_error))
    return {job_id: needs_result(statuses) for job_id, statuses in by_job.items()}


def _needs_context(row: JobRow, rows: Sequence[JobRow], results: Mapping[str, str]) -> dict:
    context = {}
    for name in row.needs:
        outputs: dict[str, str] = {}
        for other in rows:
            if other.job_id == name:
                outputs.update(other.outputs)
        context[name] = {"result": results.get(name, ""), "outputs": outputs}
    return context


def resolve_blocked_jobs(rows: Sequence[JobRow], contexts: Mapping[str, Any] | None = None,
                         run_cancelled: bool = False) -> list[Transition]:
    """Decide every Blocked row whose needs are done. ``contexts`` gives ``github``,
    ``vars`` and ``inputs`` for the ``if:``. Rows are updated in place as decided."""
    graph = {}
    for row in rows:
        graph.setdefault(row.job_id, set()).update(row.needs)
    transitions: list[Transition] = []
    changed = True
    while changed:
        changed = False
        results = _results(rows)
        for row in rows:
            if row.status != Status.BLOCKED:
                continue
            if any(not results.get(name) for name in row.needs):
                continue  # a needed job is still unfinished (or unknown)
            ancestry = [results.get(name, "") for name in ancestors(graph, row.job_id)]
            if FAILURE in ancestry:
                status = FAILURE
            elif all(result == SUCCESS for result in ancestry):
                status = SUCCESS
            else:
                status = SKIPPED
            needs = _needs_context(row, rows, results)
            context = EvaluationContext(contexts={**(contexts or {}), "needs": needs},
                                        status=status, cancelled=run_cancelled)
            try:
                if evaluate_condition(row.if_condition, context):
                    decision = Transition(row.key, Status.WAITING, expand=row.matrix_pending,
                                          needs=needs)
                else:
                    decision = Transition(row.key, Status.SKIPPED, needs=needs)
            except ExpressionError as error:
                decision = Transition(row.key, Status.FAILURE, f"jobs.{row.job_id}.if: {error}")
            row.status = decision.status
            transitions.append(decision)
            changed = True
    return transitions


def rows_to_cancel_after_failure(rows: Sequence[JobRow], failed: JobRow) -> list[Any]:
    """fail-fast: when a matrix row fails (without continue-on-error), the other unfinished
    rows of the same job are cancelled. Returns their keys."""
    if not failed.fail_fast or failed.continue_on_error or failed.status != Status.FAILURE:
        return []
    return [row.key for row in rows
            if row.job_id == failed.job_id and row.key != failed.key and row.status in _ACTIVE]


def may_start(row: JobRow, rows: Sequence[JobRow]) -> bool:
    """max-parallel: whether a Waiting row may be handed to a runner now."""
    if row.status != Status.WAITING or not row.max_parallel:
        return row.status == Status.WAITING
    running = sum(1 for other in rows
                  if other.job_id == row.job_id and other.status == Status.RUNNING)
    return running < row.max_parallel
