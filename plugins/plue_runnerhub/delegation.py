"""``POST /api/jobs/delegate``: start one job of a repository's workflow as an actions run.

The workflow is read from the repository at ``metadata.commit_sha`` (or ``metadata.branch``,
or the default branch) and found by its ``name:``, file name or path; the job by its key under
``jobs:`` (``job_id``) or its key or display name (``job_name``). The run holds that job and
the jobs it needs (transitively), so ``needs.*`` contexts stay true; it is created by the
actions service's ``dispatch_run`` as ``workflow_dispatch`` does, and runners pick it up as
any other queued job.

A repository that Plue does not host (or that the caller may not read, which must look the
same) is an external job instead: see ``external_jobs``.
"""

from __future__ import annotations

from plue_core.db import write_transaction
from plue_core.errors import Moved, NotFound
from plue_runnerhub import external_assignment, external_jobs
from plue_runnerhub.envelope import owner_and_name, reject
from plue_runnerhub.jobs import JobRenderer
from plue_runnerhub.models import Delegation, ExternalJob


def hosted_repository(service, identity, full_name: str):
    """git_hosting's access (repository and level) when Plue hosts ``full_name`` and the
    caller may read it; None otherwise, so an unseen private repository is indistinguishable
    from one Plue does not host."""
    try:
        return service.hosting.require_repository(identity, *owner_and_name(full_name))
    except (NotFound, Moved):  # a renamed repository's old name is not what Plue hosts now
        return None


def _find_workflow(service, files, wanted: str):
    """(file, workflow) whose name, file name or path is ``wanted``."""
    names = []
    for file in files:
        by_file = wanted in (file.workflow_id, file.path)
        try:
            workflow = service.parse_workflow(file.content, file.workflow_id)
        except service.WorkflowError as error:
            if by_file:
                raise reject("workflow_name", wanted, "a valid workflow", str(error)) from None
            continue
        names.append(workflow.name)
        if by_file or workflow.name == wanted:
            return file, workflow
    raise reject("workflow_name", wanted,
                 "the name, file name or path of one of: " + (", ".join(names) or "(none)"),
                 f"workflow {wanted!r} does not exist at that commit")


def _find_job(workflow, job_id: str, job_name: str) -> str:
    for key, spec in workflow.jobs.items():
        if key == job_id or key == job_name or (spec.name and spec.name == job_name):
            return key
    raise reject("job_name", job_name or job_id, "one of the workflow's jobs: "
                 + ", ".join(workflow.jobs), f"job {job_name or job_id!r} is not in workflow "
                 f"{workflow.name!r}")


def _with_needs(workflow, key: str) -> list[str]:
    keep, todo = [], [key]
    while todo:
        current = todo.pop()
        if current not in keep:
            keep.append(current)
            todo.extend(workflow.jobs[current].needs)
    return keep


def delegate(service, identity, user, body: dict) -> tuple:
    """Delegate the job: an actions run of a hosted repository, else an external job handed
    to a hub runner; returns the job as stored now and its renderer (``HubDelegation``)."""
    access = hosted_repository(service, identity, body["repository"])
    if access is None:
        job = external_jobs.create(service, identity, body)
        external_assignment.assign_pending(service, job_ids=[job.id])
        job = ExternalJob.get_by_id(job.id)
        return job, external_jobs.ExternalJobRenderer([job])
    record, job = delegate_hosted(service, user, access.require("write", "start its jobs"), body)
    job = service.job(job.id)  # a runner may hold it already
    return job, JobRenderer(service, [job], delegations={job.run_id: record})


def delegate_hosted(service, user, repository, body: dict) -> tuple:
    """Start the run; returns the delegation and the (first) row of the job asked for."""
    metadata = body.get("metadata") or {}
    branch, sha = metadata.get("branch") or "", metadata.get("commit_sha") or ""
    files, commit, full_ref = service.workflow_files_at(repository, sha or branch or None)
    if branch:
        full_ref = f"refs/heads/{branch}"
    file, workflow = _find_workflow(service, files, body["workflow_name"])
    if service.workflow_disabled(repository.id, file.workflow_id):
        raise reject("workflow_name", body["workflow_name"], "an enabled workflow",
                     f"workflow {file.workflow_id!r} is disabled")
    key = _find_job(workflow, body.get("job_id") or "", body.get("job_name") or "")
    with write_transaction(service.ctx.db):
        run = service.dispatch_run(repository, file, workflow, ref=full_ref, sha=commit,
                                   user=user, only_jobs=_with_needs(workflow, key))
        if run.error:
            raise reject("workflow_name", body["workflow_name"], "a workflow that can run",
                         run.error)
        job = service.first_job_of_run(run.id, key)
        labels = body.get("labels")
        if labels and set(labels) != set(job.runs_on or ()):
            raise reject("labels", labels, "the job's runs-on labels: "
                         + ", ".join(job.runs_on or ()),
                         "labels differ from the job's runs-on in the workflow")
        delegation = Delegation.create(
            run_id=run.id, job_key=key, external_job_id=str(body.get("job_id") or ""),
            repository_id=repository.id, labels=list(job.runs_on or ()), branch=branch,
            commit_sha=commit, pr_number=metadata.get("pr_number"), creator_id=user.id)
    return delegation, job
