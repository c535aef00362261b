"""Workflows of a repository (as on its default branch) and ``workflow_dispatch``."""

from __future__ import annotations

from plue_core.bounded_cache import BoundedCache
from plue_core.db import utcnow, write_transaction
from plue_core.errors import Invalid, NotFound

import plue_workflows
from plue_workflows.errors import WorkflowError
from plue_actions.contexts import repository_payload
from plue_actions.models import WorkflowState
from plue_actions.runs import create_run
from plue_actions.workflow_files import WorkflowFile, parse_workflow, workflow_files


def files_at(service, repository, ref: str | None = None) -> tuple[list[WorkflowFile], str, str]:
    """Workflow files at ``ref`` (default branch when None); also the commit id and full ref."""
    ref = ref or repository.default_branch
    if repository.is_empty:
        raise NotFound(f"repository {repository.full_name} is empty")
    with service.hosting.open_git(repository) as repo:
        short = ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else \
            ref[len("refs/tags/"):] if ref.startswith("refs/tags/") else ref
        kind, commit = service.hosting.resolve_commit(repo, short)
        full_ref = {"branch": f"refs/heads/{short}", "tag": f"refs/tags/{short}"}.get(kind, ref)
        return workflow_files(repo, commit), commit.id.decode(), full_ref


def find_file(files: list[WorkflowFile], workflow_id: str) -> WorkflowFile:
    for file in files:
        if file.workflow_id == workflow_id or file.path == workflow_id:
            return file
    raise NotFound(f"workflow {workflow_id!r} does not exist")


def set_enabled(repository, workflow_id: str, enabled: bool) -> None:
    with write_transaction():
        row = WorkflowState.get_or_none((WorkflowState.repository_id == repository.id)
                                        & (WorkflowState.workflow_id == workflow_id))
        if row is None:
            WorkflowState.create(repository_id=repository.id, workflow_id=workflow_id,
                                 disabled=not enabled)
        else:
            row.disabled, row.updated = not enabled, utcnow()
            row.save()


# The workflow_dispatch inputs declared by a workflow file, per blob id: the dispatch form
# shows them on every visit, and parsing the YAML was a third of the page's time.
_DECLARED_INPUTS = BoundedCache(256)


def declared_inputs(files: list[WorkflowFile], workflow_id: str):
    """``(file, inputs)``: :func:`dispatchable`'s file and its trigger's inputs (name ->
    DispatchInput), parsed once per blob id."""
    file = find_file(files, workflow_id)
    found = _DECLARED_INPUTS.get(file.blob) if file.blob else None
    if found is None:
        found = dict(dispatchable(files, workflow_id)[2].inputs)
        if file.blob:
            _DECLARED_INPUTS.put(file.blob, found)
    return file, dict(found)


def dispatchable(files: list[WorkflowFile], workflow_id: str):
    """``(file, workflow, trigger)`` of ``workflow_id`` among ``files``: NotFound without it,
    Invalid when it cannot be parsed or has no ``workflow_dispatch`` trigger."""
    file = find_file(files, workflow_id)
    try:
        workflow = parse_workflow(file.content, file.workflow_id)
    except WorkflowError as error:
        raise Invalid(str(error)) from None
    trigger = workflow.triggers.get("workflow_dispatch")
    if trigger is None:
        raise Invalid(f"workflow {file.workflow_id!r} has no workflow_dispatch trigger")
    return file, workflow, trigger


def dispatch(service, repository, workflow_id: str, ref: str, inputs: dict | None, user):
    """Start a ``workflow_dispatch`` run of ``workflow_id`` at ``ref``; returns the run."""
    if not ref:
        raise Invalid("ref is required (a branch, tag or commit)")
    files, sha, full_ref = files_at(service, repository, ref)
    file, workflow, trigger = dispatchable(files, workflow_id)
    values = plue_workflows.resolve_dispatch_inputs(trigger.inputs, {k: v for k, v in (inputs or {}).items()})
    disabled = WorkflowState.get_or_none((WorkflowState.repository_id == repository.id)
                                         & (WorkflowState.workflow_id == file.workflow_id))
    if disabled is not None and disabled.disabled:
        raise Invalid(f"workflow {file.workflow_id!r} is disabled")
    payload = {"inputs": values, "ref": full_ref, "workflow": file.path,
               "repository": repository_payload(service.hosting, repository),
               "sender": {"login": user.name, "id": user.id}}
    with write_transaction(service.ctx.db):
        return create_run(service, repository, workflow_path=file.path,
                          workflow_id=file.workflow_id, content=file.content, workflow=workflow,
                          error=None, event="workflow_dispatch", ref=full_ref, sha=sha,
                          trigger_user_id=user.id, actor=user.name, payload=payload,
                          title=workflow.name, inputs=values)
