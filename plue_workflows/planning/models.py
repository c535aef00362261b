"""What planning produces: one PlannedJob per job and matrix combination, ready to store."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from plue_workflows.statuses import Status
from plue_workflows.steps import StepSpec


@dataclass(frozen=True)
class PlannedJob:
    """One row of a run's jobs (Gitea's ActionRunJob before it is saved).

    ``runs_on`` lists the labels a runner must all have. ``if_condition`` is kept as written:
    it is decided when the needed jobs are done (see ``emission``). ``matrix_pending`` marks
    a job whose matrix, labels or name depend on ``needs`` outputs: it is stored as one
    placeholder row and expanded with ``plan_job`` once its needs have finished.
    ``payload`` is the single-job workflow YAML a runner receives.
    """

    job_id: str
    name: str
    needs: tuple[str, ...]
    runs_on: tuple[str, ...]
    runner_group: str | None = None
    matrix: dict[str, Any] = field(default_factory=dict)
    if_condition: Any = None
    env: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    defaults_run: dict[str, str] = field(default_factory=dict)
    timeout_minutes: float | int = 360
    continue_on_error: bool = False
    fail_fast: bool = True
    max_parallel: int | None = None
    steps: tuple[StepSpec, ...] = ()
    uses: str | None = None
    matrix_pending: bool = False
    payload: str = ""

    @property
    def initial_status(self) -> Status:
        """Blocked while it needs other jobs, waits for expansion or has an ``if:`` still to
        decide (``emission.resolve_blocked_jobs`` decides it, right away when nothing is
        needed); Waiting otherwise."""
        undecided = self.if_condition is not None
        return Status.BLOCKED if self.needs or self.matrix_pending or undecided else Status.WAITING

    def as_record(self) -> dict[str, Any]:
        """Plain JSON-ready data (steps as dicts) for storing the row."""
        return dataclasses.asdict(self)
