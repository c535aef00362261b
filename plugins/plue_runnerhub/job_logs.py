"""A job's log as RunnerHub shows it: the stored lines of the job's latest task (live rows
while it runs, the archived file afterwards), each tagged with its step and a level.

``follow=true`` does not hold the request open: it answers what is stored now, and
``metadata.complete`` tells the client whether to ask again (see docs/runnerhub.md)."""

from __future__ import annotations

from plue_core.timestamps import rfc3339
from plue_workflows.statuses import Status
from plue_runnerhub.envelope import parse_timestamp
from plue_runnerhub.jobs import hub_status

LEVELS = (("::error", "error"), ("::warning", "warning"), ("::debug", "debug"),
          ("::notice", "notice"))


def level_of(content: str) -> str:
    """Workflow commands name their level; every other line is ``info``."""
    for prefix, level in LEVELS:
        if content.startswith(prefix):
            return level
    return "info"


def _step_of(steps: list, index: int) -> str | None:
    for step in steps:
        if step.log_length and step.log_index <= index < step.log_index + step.log_length:
            return step.name
    return None


def job_log(service, job, *, lines: int | None = None, since: str | None = None) -> dict:
    """``{"logs": [...], "metadata": {...}}``: the last ``lines`` lines, those at or after
    ``since`` when given."""
    task = service.task(job.task_id) if job.task_id else None
    after = parse_timestamp("since", since) if since else None
    entries: list[dict] = []
    total = 0
    if task is not None:
        total = task.log_length
        # Without ``since`` only the tail is read, not a long log's every line.
        start = max(0, total - lines) if lines is not None and since is None else 0
        steps = service.task_steps(task.id)
        for offset, (moment, content) in enumerate(service.task_log_lines(task, start)):
            when = parse_timestamp("time", moment)
            if after is not None and when < after:
                continue
            entries.append({"timestamp": rfc3339(when), "level": level_of(content),
                            "message": content, "step": _step_of(steps, start + offset)})
        if lines is not None:
            entries = entries[-lines:] if lines else []
    last_update = (task.updated if task is not None else None) or job.updated
    return {"logs": entries, "metadata": {
        "total_lines": total, "returned_lines": len(entries),
        "job_status": hub_status(job.status), "last_update": rfc3339(last_update),
        "complete": Status(job.status).is_done() and (task is None or task.log_in_storage
                                                      or Status(task.status).is_done()),
    }}


def as_text(log: dict) -> str:
    return "".join(f"{entry['timestamp']} {entry['message']}\n" for entry in log["logs"])
