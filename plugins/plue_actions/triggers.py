"""From events to runs: push, pull_request (published by the pulls plugin when enabled),
workflow_dispatch (the API) and schedule (the scheduler job). Everything here runs inside
the triggering transaction, so a run is never lost and never half-written."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

import peewee

from plue_core.db import CompiledSelect, utcnow
from plue_core.timestamps import naive_utc

# plue_workflows' language arrives with its first use (tests/hosts/test_imports_per_process.py):
# a worker that serves no push with a workflow does not load it.
import plue_workflows
from plue_actions.contexts import push_payload, repository_payload
from plue_actions.models import Schedule, WorkflowState
from plue_actions.runs import create_run
from plue_actions.workflow_files import (
    WorkflowFile, changed_paths, commit_of, parsed, workflow_files,
)

if TYPE_CHECKING:
    from plue_workflows import TriggeringEvent

log = logging.getLogger("plue.actions.triggers")

PULL_REQUEST_ACTIONS = ("opened", "synchronize", "synchronized", "reopened")


# A push's reads of them, compiled once per database (each push runs one of the two).
_DISABLED = CompiledSelect(
    lambda repository_id: WorkflowState.select(WorkflowState.workflow_id).where(
        (WorkflowState.repository_id == repository_id) & WorkflowState.disabled).tuples(),
    int)


def disabled_workflows(repository_id: int) -> set[str]:
    return {row[0] for row in _DISABLED.rows(repository_id)}


# A schedule as a push compares it: what its workflow file says, then what the push sets.
_SCHEDULE_COLUMNS = (Schedule.workflow_id, Schedule.workflow_path, Schedule.cron, Schedule.ref,
                     Schedule.commit_sha, Schedule.trigger_user_id)


def _disabled_and_schedules(repository_id: int):
    disabled = WorkflowState.select(
        peewee.Value("disabled"), WorkflowState.workflow_id, peewee.Value(""), peewee.Value(""),
        peewee.Value(""), peewee.Value(""), peewee.Value(None)).where(
        (WorkflowState.repository_id == repository_id) & WorkflowState.disabled)
    schedules = Schedule.select(peewee.Value("schedule"), *_SCHEDULE_COLUMNS).where(
        Schedule.repository_id == repository_id)
    return disabled.union_all(schedules).tuples()


_DISABLED_AND_SCHEDULES = CompiledSelect(_disabled_and_schedules, int)


def disabled_and_schedules(repository_id: int) -> tuple[set[str], list[tuple]]:
    """The repository's disabled workflows and its schedules (``_SCHEDULE_COLUMNS``), in
    one statement: a push to the default branch needs both."""
    found: tuple[set[str], list[tuple]] = (set(), [])
    for kind, *row in _DISABLED_AND_SCHEDULES.rows(repository_id):
        if kind == "disabled":
            found[0].add(row[0])
        else:
            found[1].append(tuple(row))
    return found


def _first_line(message: str) -> str:
    return (message or "").strip().splitlines()[0] if (message or "").strip() else ""


def _skipped(service, *texts: str) -> bool:
    return any(marker in text for marker in service.settings["skip_workflow_strings"]
               for text in texts if text)


def _usable(repository) -> bool:
    return repository is not None and repository.has_actions and not repository.is_archived


def _start_matching(service, repository, files: list[WorkflowFile], trigger: TriggeringEvent,
                    *, disabled: set[str] | None = None, **run_fields) -> list:
    """A run per matching workflow; a file that does not parse gives a failed run.
    ``disabled``: the repository's disabled workflows, when the caller has read them."""
    runs = []
    if disabled is None:
        disabled = disabled_workflows(repository.id)
    for file in files:
        if file.workflow_id in disabled:
            continue
        workflow, error = parsed(file)
        if workflow is not None and not plue_workflows.workflow_matches(workflow, trigger):
            continue
        runs.append(create_run(service, repository, workflow_path=file.path,
                               workflow_id=file.workflow_id, content=file.content,
                               workflow=workflow, error=error, **run_fields))
    return runs


def on_push(service, event) -> list:
    repository = service.hosting.get_repository_by_id(event.repository_id)
    if not _usable(repository) or event.deleted:
        return []
    with service.hosting.open_git(repository) as repo:
        commit = commit_of(repo, event.after)
        if commit is None:
            return []
        files = workflow_files(repo, commit)
        changed = changed_paths(repo, event.before, commit) if event.is_branch else None
    log.debug("push to %s: %d workflow files read", repository.full_name, len(files))
    message = (commit.message or b"").decode("utf-8", "replace")
    if event.ref == f"refs/heads/{repository.default_branch}":
        # Read once, for the schedules and the runs.
        disabled, schedules = disabled_and_schedules(repository.id)
        refresh_schedules(service, repository, files, event.after, event.ref, event.pusher_id,
                          disabled=disabled, existing=schedules)
    else:
        disabled = disabled_workflows(repository.id)
    if not files or _skipped(service, message):
        return []
    trigger = plue_workflows.TriggeringEvent("push", ref=event.ref, changed_files=changed,
                                             commit_message=message)
    return _start_matching(
        service, repository, files, trigger, disabled=disabled, event="push", ref=event.ref,
        sha=event.after,
        trigger_user_id=event.pusher_id, actor=event.pusher,
        payload=push_payload(service.hosting, repository, event), title=_first_line(message))


def _field(event, *names, default=None):
    for name in names:
        value = getattr(event, name, None)
        if value not in (None, ""):
            return value
    return default


def on_pull_request(service, event) -> list:
    """A ``pull_request`` event from the pulls plugin (read by field name, see docs)."""
    action = _field(event, "action", default="")
    if action not in PULL_REQUEST_ACTIONS:
        return []
    repository = service.hosting.get_repository_by_id(_field(event, "repository_id", "base_repository_id"))
    if not _usable(repository):
        return []
    head_sha = _field(event, "head_sha", "head_commit_id", default="")
    number = _field(event, "number", "index", default=0)
    head_ref = _field(event, "head_ref", "head_branch", default="")
    base_ref = _field(event, "base_ref", "base_branch", default=repository.default_branch)
    base_ref = base_ref[len("refs/heads/"):] if base_ref.startswith("refs/heads/") else base_ref
    title = _field(event, "title", default="")
    head_repository_id = _field(event, "head_repository_id", default=repository.id)
    is_fork = bool(_field(event, "is_fork", default=False)) or head_repository_id != repository.id
    user_id = _field(event, "sender_id", "poster_id", "user_id")
    user = _field(event, "sender", "poster", "user", default="")
    with service.hosting.open_git(repository) as repo:
        commit = commit_of(repo, head_sha)
        if commit is None:
            return []
        files = workflow_files(repo, commit)
        base = repo.refs.as_dict().get(f"refs/heads/{base_ref}".encode())
        changed = changed_paths(repo, base.decode(), commit) if base else None
    message = (commit.message or b"").decode("utf-8", "replace")
    if not files or _skipped(service, message, title):
        return []
    trigger = plue_workflows.TriggeringEvent(
        "pull_request", ref=f"refs/pull/{number}/head",
        action="synchronize" if action == "synchronized" else action,
        base_ref=f"refs/heads/{base_ref}", changed_files=changed, commit_message=message,
        title=title)
    payload = {
        "action": trigger.action, "number": number,
        "pull_request": {"number": number, "title": title,
                         "head": {"ref": head_ref, "sha": head_sha},
                         "base": {"ref": base_ref}},
        "repository": repository_payload(service.hosting, repository),
        "sender": {"login": user, "id": user_id},
    }
    return _start_matching(
        service, repository, files, trigger, event="pull_request",
        ref=f"refs/pull/{number}/head", sha=head_sha, trigger_user_id=user_id, actor=user,
        payload=payload, title=title or _first_line(message), is_fork_pull_request=is_fork)


def refresh_schedules(service, repository, files: list[WorkflowFile], sha: str, ref: str,
                      user_id: int | None, *, disabled: set[str], existing: list[tuple]) -> None:
    """Cron lines of the default branch's workflows replace the repository's schedules
    (``existing``, as ``disabled_and_schedules`` read them). When the lines are the ones
    already stored, nothing is deleted: the rows keep their next time and only follow the
    pushed commit and pusher (one UPDATE, none when those did not change either)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    wanted = []
    for file in files:
        if file.workflow_id in disabled:
            continue
        workflow = parsed(file)[0]
        if workflow is None:
            continue
        trigger = workflow.triggers.get("schedule")
        for schedule in trigger.schedules if trigger else ():
            upcoming = schedule.next_after(now)
            if upcoming is not None:
                wanted.append((file.workflow_id, file.path, schedule.expression, upcoming))
    if sorted(row[:4] for row in existing) == sorted((*line[:3], ref) for line in wanted):
        if any(row[4:] != (sha, user_id) for row in existing):
            Schedule.update(commit_sha=sha, trigger_user_id=user_id).where(
                Schedule.repository_id == repository.id).execute()
        return
    Schedule.delete().where(Schedule.repository_id == repository.id).execute()
    for workflow_id, path, cron, upcoming in wanted:
        Schedule.create(repository_id=repository.id, workflow_id=workflow_id,
                        workflow_path=path, cron=cron, commit_sha=sha, ref=ref,
                        trigger_user_id=user_id, next_run_at=naive_utc(upcoming))


def start_due_schedules(service) -> int:
    """The scheduler job: a run for every schedule whose time has come. Returns how many."""
    from plue_workflows import parse_cron

    started = 0
    now = utcnow()
    for schedule in Schedule.select().where(Schedule.next_run_at <= now).order_by(Schedule.id):
        repository = service.hosting.get_repository_by_id(schedule.repository_id)
        aware_now = datetime.datetime.now(datetime.timezone.utc)
        upcoming = parse_cron(schedule.cron).next_after(aware_now)
        schedule.next_run_at = naive_utc(upcoming)
        schedule.save()
        if not _usable(repository) or schedule.workflow_id in disabled_workflows(repository.id):
            continue
        with service.hosting.open_git(repository) as repo:
            commit = commit_of(repo, schedule.commit_sha)
            files = [f for f in workflow_files(repo, commit) if f.path == schedule.workflow_path] \
                if commit is not None else []
        for file in files:
            workflow = parsed(file)[0]
            if workflow is None:
                continue
            create_run(service, repository, workflow_path=file.path, workflow_id=file.workflow_id,
                       content=file.content, workflow=workflow, error=None, event="schedule",
                       ref=schedule.ref, sha=schedule.commit_sha,
                       trigger_user_id=schedule.trigger_user_id, actor="",
                       payload={"schedule": schedule.cron,
                                "repository": repository_payload(service.hosting, repository)},
                       title=f"{workflow.name} (schedule {schedule.cron})")
            started += 1
    return started
