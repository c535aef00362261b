"""Run, job, task and step statuses as Gitea stores them, and how they are reported.

The integer codes are Gitea's (``models/actions/status.go``); 0-4 equal the runner protocol's
``Result`` codes. The REST ``status``/``conclusion`` pair follows Gitea's ``ToActionsStatus``
and the run status is aggregated from its jobs as Gitea's ``AggregateJobStatus`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class Status(IntEnum):
    UNKNOWN = 0
    SUCCESS = 1
    FAILURE = 2
    CANCELLED = 3
    SKIPPED = 4
    WAITING = 5  # queued, may be picked by a runner
    RUNNING = 6
    BLOCKED = 7  # waits for `needs` (or for approval)

    @property
    def label(self) -> str:
        """Lower-case name as Gitea's API and UI spell it: 'success', 'waiting'..."""
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> "Status":
        """The status named ``label`` (case-insensitive); ValueError when there is none."""
        try:
            return cls[label.strip().upper()]
        except KeyError:
            names = ", ".join(status.label for status in cls)
            raise ValueError(f"unknown status {label!r}; expected one of {names}") from None

    def is_done(self) -> bool:
        """Finished one way or another: success, failure, cancelled or skipped."""
        return self in DONE

    def result_code(self) -> int:
        """The runner protocol ``Result`` (0 = unspecified, i.e. still running)."""
        return int(self) if self.is_done() else 0


DONE = frozenset({Status.SUCCESS, Status.FAILURE, Status.CANCELLED, Status.SKIPPED})


def status_from_result(result: int) -> Status:
    """Map a runner ``Result`` code to a status; 0 (unspecified) means still running."""
    if result == 0:
        return Status.RUNNING
    if result in (1, 2, 3, 4):
        return Status(result)
    raise ValueError(f"unknown runner result code {result}; expected 0 to 4")


def rest_status(status: Status, need_approval: bool = False) -> tuple[str, str | None]:
    """The GitHub/Gitea REST ``(status, conclusion)`` of a run or job.

    Waiting is ``queued``, Blocked is ``pending`` (``waiting`` when the run awaits approval),
    Running is ``in_progress``; finished statuses are ``completed`` with a conclusion.
    """
    if status == Status.BLOCKED:
        return ("waiting" if need_approval else "pending"), None
    if status == Status.WAITING:
        return "queued", None
    if status == Status.RUNNING:
        return "in_progress", None
    if status.is_done():
        return "completed", status.label
    return "pending", None  # Unknown: not started and not schedulable yet


def commit_status_state(status: Status) -> str:
    """The commit status state posted for a job: pending, success, failure, skipped or error."""
    if status == Status.SUCCESS:
        return "success"
    if status in (Status.FAILURE, Status.CANCELLED):
        return "failure"
    if status in (Status.WAITING, Status.BLOCKED, Status.RUNNING):
        return "pending"
    if status == Status.SKIPPED:
        return "skipped"
    return "error"


def aggregate_job_statuses(jobs: Iterable[Status | tuple[Status, bool]]) -> Status:
    """The run status for its jobs' statuses, as Gitea computes it.

    Each item is a status or ``(status, continue_on_error)``: a failed job that may continue
    on error counts as a success. All skipped gives Skipped; all success-or-skipped gives
    Success; otherwise the first of Cancelled, Running, Waiting, Failure, Blocked present
    wins (so a run keeps Running while other jobs still work after one failed).
    """
    statuses: list[Status] = []
    for item in jobs:
        status, continue_on_error = item if isinstance(item, tuple) else (item, False)
        if continue_on_error and status == Status.FAILURE:
            status = Status.SUCCESS
        statuses.append(Status(status))
    if not statuses:
        return Status.UNKNOWN
    if all(status == Status.SKIPPED for status in statuses):
        return Status.SKIPPED
    if all(status in (Status.SUCCESS, Status.SKIPPED) for status in statuses):
        return Status.SUCCESS
    for status in (Status.CANCELLED, Status.RUNNING, Status.WAITING, Status.FAILURE,
                   Status.BLOCKED):
        if status in statuses:
            return status
    return Status.UNKNOWN


def needs_result(job_statuses: Iterable[Status | tuple[Status, bool]]) -> str:
    """``needs.<id>.result`` for a job (all its matrix rows): success, failure, cancelled or
    skipped once every row is done; '' while some row is unfinished."""
    status = aggregate_job_statuses(job_statuses)
    return status.label if status.is_done() else ""
