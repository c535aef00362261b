"""Task logs: an append-only stream of lines with index/ack, masked before storage.

While a task runs, lines are rows in ``action_log_line`` (every worker and host sees them, so
logs read live). ``noMore`` (or a reaper stopping the task) moves them to one JSON-lines file
under the storage directory and deletes the rows, as Gitea moves DBFS logs to storage.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib

from plue_core.db import insert_rows, utcnow, write_transaction
from plue_core.errors import Conflict

from plue_actions.models import LogLine, Task, TaskMask
from plue_actions.secrets import secrets_for_repository

MAX_LINE = 64 * 1024
ADD_MASK = "::add-mask::"


def format_time(moment: datetime.datetime) -> str:
    """RFC 3339 with 7 fractional digits, as Gitea and GitHub write log lines."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"


class Masker:
    """Replaces every secret value (and every ``::add-mask::`` value) with ``***``."""

    def __init__(self, values):
        pieces = set()
        for value in values:
            for piece in [value, *value.splitlines()]:
                if piece and piece.strip():
                    pieces.add(piece)
        self.values = sorted(pieces, key=len, reverse=True)

    def add(self, value: str) -> None:
        if value and value.strip() and value not in self.values:
            self.values.append(value)
            self.values.sort(key=len, reverse=True)

    def mask(self, text: str) -> str:
        for value in self.values:
            if value in text:
                text = text.replace(value, "***")
        return text


def masker_for(service, task: Task) -> Masker:
    values = [] if task.is_fork_pull_request else \
        list(secrets_for_repository(service.box, task.owner_id, task.repository_id).values())
    values += [service.box.decrypt(row.value) for row in TaskMask.select().where(TaskMask.task == task.id)]
    return Masker(values)


def append(service, task: Task, index: int, rows: list[tuple[datetime.datetime, str]],
           no_more: bool) -> int:
    """Store ``rows`` (line ``index`` onwards); returns the ack (lines stored in total).
    Re-sent lines are ignored, a gap is refused by answering the current ack."""
    with write_transaction(service.ctx.db):
        task = Task.get_by_id(task.id)  # fresh: another worker may have appended
        if task.log_in_storage:
            raise Conflict(f"the log of task {task.id} is already closed")
        ack = task.log_length
        if index > ack or not rows:
            if no_more and index <= ack:
                archive(service, task)
            return ack
        fresh = rows[ack - index:] if index < ack else rows
        if fresh:
            masker = masker_for(service, task)
            stored = []
            for offset, (moment, content) in enumerate(fresh):
                # A program may print NUL; PostgreSQL cannot store it: U+FFFD, as a decoder
                # shows a byte it cannot read.
                content = content[:MAX_LINE].replace("\0", "\ufffd")
                if content.startswith(ADD_MASK):
                    value = content[len(ADD_MASK):].strip()
                    if value:
                        TaskMask.create(task=task, value=service.box.encrypt(value))
                        masker.add(value)
                stored.append(LogLine(task=task.id, index=ack + offset, time=moment,
                                      content=masker.mask(content)))
            # In statements of a few hundred rows: one of them all would pass the database's
            # limit of bound parameters (SQLite's 32,766, or Debian's 250,000) for a large batch.
            insert_rows(stored)
            size = sum(len(row.content.encode()) for row in stored)
            ack += len(stored)
            Task.update(log_length=ack, log_size=Task.log_size + size, updated=utcnow()) \
                .where(Task.id == task.id).execute()
            task.log_length = ack
        if no_more:
            archive(service, task)
        return ack


def log_path(service, task: Task) -> pathlib.Path:
    return service.storage / "logs" / str(task.repository_id) / f"{task.id % 256:02x}" / f"{task.id}.log"


def archive(service, task: Task) -> None:
    """Move the task's lines to their file; idempotent."""
    if task.log_in_storage:
        return
    path = log_path(service, task)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        for row in LogLine.select().where(LogLine.task == task.id).order_by(LogLine.index):
            file.write(json.dumps([format_time(row.time), row.content], ensure_ascii=False) + "\n")
    os.replace(temporary, path)
    Task.update(log_in_storage=True, log_filename=str(path.relative_to(service.storage))) \
        .where(Task.id == task.id).execute()
    LogLine.delete().where(LogLine.task == task.id).execute()
    task.log_in_storage = True


def read_lines(service, task: Task, start: int = 0, count: int | None = None) -> list[tuple[str, str]]:
    """``(time, content)`` of lines ``start`` .. ``start + count`` (live or archived)."""
    if task.log_expired:
        return []
    if task.log_in_storage:
        path = service.storage / task.log_filename
        if not path.exists():
            return []
        lines = []
        with open(path, encoding="utf-8") as file:
            for number, line in enumerate(file):
                if number < start:
                    continue
                if count is not None and number >= start + count:
                    break
                moment, content = json.loads(line)
                lines.append((moment, content))
        return lines
    query = LogLine.select().where((LogLine.task == task.id) & (LogLine.index >= start)) \
        .order_by(LogLine.index)
    if count is not None:
        query = query.where(LogLine.index < start + count)
    return [(format_time(row.time), row.content) for row in query]
