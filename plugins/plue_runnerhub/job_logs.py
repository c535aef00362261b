"""A job's log as RunnerHub shows it: the stored lines of the job's latest task (live rows
while it runs, the archived file afterwards), each tagged with its step and a level.

``follow=true`` does not hold the request open: it answers what is stored now, and
``metadata.complete`` tells the client whether to ask again (see docs/runnerhub.md)."""

from __future__ import annotations

import datetime
from typing import NamedTuple

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


class LogLine(NamedTuple):
    """A hosted job's log line as ``HubLogLine`` reads it (an external job's is its
    ExternalJobLog row, with the same attributes)."""

    timestamp: datetime.datetime
    level: str
    message: str
    step: str | None


class JobLog(NamedTuple):
    """A job's log (``HubJobLog``), hosted or external."""

    lines: list  # of LogLine or ExternalJobLog rows
    total_lines: int
    job_status: str
    last_update: datetime.datetime | None
    complete: bool


def _step_of(steps: list, index: int) -> str | None:
    for step in steps:
        if step.log_length and step.log_index <= index < step.log_index + step.log_length:
            return step.name
    return None


def job_log(service, job, *, lines: int | None = None, since: str | None = None) -> JobLog:
    """The last ``lines`` lines, those at or after
    ``since`` when given."""
    task = service.task(job.task_id) if job.task_id else None
    after = parse_timestamp("since", since) if since else None
    entries: list[LogLine] = []
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
            entries.append(LogLine(when, level_of(content), content,
                                   _step_of(steps, start + offset)))
        if lines is not None:
            entries = entries[-lines:] if lines else []
    last_update = (task.updated if task is not None else None) or job.updated
    return JobLog(entries, total, hub_status(job.status), last_update,
                  Status(job.status).is_done() and (task is None or task.log_in_storage
                                                    or Status(task.status).is_done()))


def as_text(log: JobLog) -> str:
    return "".join(f"{rfc3339(line.timestamp)} {line.message}\n" for line in log.lines)
