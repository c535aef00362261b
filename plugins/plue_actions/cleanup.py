"""When a repository is deleted (inside the deleting transaction): its runs, jobs, tasks,
logs, artifacts, secrets, variables, runners, tokens, statuses and schedules go with it."""

from __future__ import annotations

from plue_actions.models import (
    Artifact, CommitStatus, Job, RegistrationToken, Run, Runner, Schedule, Secret,
    SecretKeyPair, Task, Variable, WorkflowState,
)


def forget_repository(service, repository_id: int) -> list[str]:
    """Delete the rows; returns the stored files (logs, artifacts) the caller may remove."""
    files = [task.log_filename for task in Task.select(Task.log_filename)
             .where((Task.repository_id == repository_id) & Task.log_in_storage)]
    files += [artifact.storage_path for artifact in Artifact.select(Artifact.storage_path)
              .where(Artifact.repository_id == repository_id) if artifact.storage_path]
    CommitStatus.delete().where(CommitStatus.repository_id == repository_id).execute()
    Job.delete().where(Job.repository_id == repository_id).execute()
    Run.delete().where(Run.repository_id == repository_id).execute()
    for model in (Secret, SecretKeyPair, Variable, Runner, RegistrationToken):
        model.delete().where(model.repository_id == repository_id).execute()
    for model in (Schedule, WorkflowState):
        model.delete().where(model.repository_id == repository_id).execute()
    service.forget_repository_memo(repository_id)
    return files


def remove_files(service, files: list[str]) -> None:
    for relative in files:
        path = service.storage / relative
        if path.exists():
            path.unlink()


def forget_owner(owner_id: int) -> None:
    """An account was deleted: its owner-scope secrets, variables, runners and tokens go."""
    for model in (Secret, SecretKeyPair, Variable, Runner, RegistrationToken):
        model.delete().where((model.owner_id == owner_id) & (model.repository_id == 0)).execute()
