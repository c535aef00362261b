"""The ``github`` (alias ``gitea``) context of a run, as Gitea builds it for a task, the
contexts a run is planned with, and the event payloads stored with runs."""

from __future__ import annotations

from plue_actions.models import Job, Run
from plue_actions.variables import variables_for_repository


def short_ref(ref: str) -> tuple[str, str]:
    """``(ref_name, ref_type)`` of a full ref."""
    for prefix, kind in (("refs/heads/", "branch"), ("refs/tags/", "tag")):
        if ref.startswith(prefix):
            return ref[len(prefix):], kind
    if ref.startswith("refs/pull/"):
        return ref[len("refs/"):], ""
    return ref, ""


def repository_payload(hosting, repository) -> dict:
    """The ``repository`` object of an event payload (the fields workflows read)."""
    owner = repository.owner
    return {
        "id": repository.id, "name": repository.name, "full_name": repository.full_name,
        "private": repository.is_private, "fork": repository.is_fork,
        "default_branch": repository.default_branch,
        "html_url": hosting.html_url(repository), "clone_url": hosting.clone_url(repository),
        "ssh_url": hosting.ssh_url(owner.name, repository.name), "url": hosting.api_url(repository),
        "owner": {"id": owner.id, "login": owner.name, "username": owner.name},
    }


def push_payload(hosting, repository, event) -> dict:
    commits = list(event.commits)
    return {
        "ref": event.ref, "before": event.before, "after": event.after,
        "compare_url": f"{hosting.html_url(repository)}/compare/{event.before}...{event.after}",
        "commits": commits, "total_commits": event.total_commits,
        "head_commit": commits[0] if commits else None,
        "repository": repository_payload(hosting, repository),
        "pusher": {"login": event.pusher, "username": event.pusher, "id": event.pusher_id},
        "sender": {"login": event.pusher, "username": event.pusher, "id": event.pusher_id},
    }


def github_context(base_url: str, hosting, run: Run, repository, *, actor: str = "",
                   job: Job | None = None, token: str = "", default_actions_url: str = "",
                   retention_days: int = 90) -> dict:
    """The github context for expressions (job=None) or for a task (with job and token)."""
    payload = run.event_payload or {}
    ref, sha = run.ref, run.commit_sha
    head_ref = base_ref = ""
    pull = payload.get("pull_request") if isinstance(payload, dict) else None
    if isinstance(pull, dict):
        head_ref = (pull.get("head") or {}).get("ref", "")
        base_ref = (pull.get("base") or {}).get("ref", "")
    ref_name, ref_type = short_ref(ref)
    owner = repository.owner.name
    context = {
        "event": payload,
        "event_name": run.event,
        "event_path": "",
        "ref": ref, "ref_name": ref_name, "ref_type": ref_type, "ref_protected": False,
        "head_ref": head_ref, "base_ref": base_ref,
        "sha": sha,
        "repository": repository.full_name,
        "repository_id": str(repository.id),
        "repository_owner": owner,
        "repository_owner_id": str(repository.owner_id),
        "repositoryUrl": hosting.clone_url(repository),
        "server_url": base_url,
        "api_url": f"{base_url}/api/v1",
        "graphql_url": "",
        "run_id": str(run.id),
        "run_number": str(run.number),
        "run_attempt": str(run.attempt),
        "actor": actor, "actor_id": str(run.trigger_user_id or 0),
        "triggering_actor": actor,
        "workflow": run.workflow_name or run.workflow_id,
        "workflow_ref": f"{repository.full_name}/{run.workflow_path}@{ref}",
        "workspace": "", "action": "", "action_path": "", "action_ref": "",
        "action_repository": "", "action_status": "", "env": "", "path": "",
        "retention_days": str(retention_days),
        "secret_source": "Actions",
        "gitea_default_actions_url": default_actions_url,
    }
    if job is not None:
        context.update(job=job.job_id, run_attempt=str(job.attempt))
    if token:
        context["token"] = token
        context["gitea_runtime_token"] = token
    return context


def planning_contexts(service, run: Run, repository, actor: str) -> dict:
    """``github``, ``vars`` and ``inputs`` for planning and for deciding ``if:``."""
    return {
        "github": github_context(service.base_url, service.hosting, run, repository, actor=actor),
        "vars": variables_for_repository(repository.owner_id, repository.id),
        "inputs": run.inputs or {},
    }
