"""Planning a run: matrix expansion, PlannedJob rows with their runner payloads, and the
decisions taken as jobs finish (needs, if:, fail-fast, max-parallel). Pure Python."""

from plue_workflows.planning.emission import (
    JobRow,
    Transition,
    may_start,
    resolve_blocked_jobs,
    rows_to_cancel_after_failure,
)
from plue_workflows.planning.matrix import MAX_COMBINATIONS, MatrixError, expand_matrix
from plue_workflows.planning.models import PlannedJob
from plue_workflows.planning.planner import (
    depends_on_needs,
    plan_job,
    plan_workflow,
    run_title,
)

__all__ = [
    "JobRow", "MAX_COMBINATIONS", "MatrixError", "PlannedJob", "Transition", "depends_on_needs",
    "expand_matrix", "may_start", "plan_job", "plan_workflow", "resolve_blocked_jobs",
    "rows_to_cancel_after_failure", "run_title",
]
