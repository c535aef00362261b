"""Which hub runners may hold which external jobs: the scope rule of the hand-out.

A hub runner's scope is the one it was registered for (``POST /api/runners``, ``owner``):

* **instance-wide** (an administrator's, no owner): every external job;
* **a user's**: the jobs that user delegated (nobody else's, and none GitHub's webhook sent);
* **an organization's**: the jobs of the organization's repositories — the job's
  ``owner/repo`` names the organization (case ignored, as GitHub and Plue both ignore it) —
  and only those it may see:

  - a delegated job, when the delegator is a member of the organization (now, not only when
    they delegated). A member reads every repository of the organization (team permissions
    start at ``read``), and a delegation of a hosted repository its caller may read is an
    actions run, not an external job; so a job naming a private repository Plue hosts never
    reaches its organization's runners through someone who may not see it;
  - a job GitHub's webhook recorded, when GitHub called the repository public (a private
    GitHub repository's jobs go to instance-wide runners only: Plue cannot tell whether the
    organization may see it there).

Labels, capacity and paused queues are ``external_assignment``'s. A pass asks these questions
for many (runner, job) pairs; :class:`Scopes` reads each organization and membership once
per pass.
"""

from __future__ import annotations

from plue_runnerhub.github_workflow_jobs import WEBHOOK_CREATOR
from plue_runnerhub.models import ExternalJob


class Scopes:
    """The scope rule for one hand-out pass (``service``: the actions service)."""

    def __init__(self, service):
        self.accounts = service.accounts
        self._orgs: dict[int, object] = {}        # owner id -> organization row, or None
        self._members: dict[tuple[int, int], bool] = {}

    def admits(self, runner, job: ExternalJob) -> bool:
        """Whether ``runner``'s scope may hold ``job`` (labels and capacity aside)."""
        if runner.owner_id == 0:
            return True
        if runner.owner_id == job.creator_id:
            return True
        org = self._organization(runner.owner_id)
        if org is None or job.repository_key.partition("/")[0] != org.lower_name:
            return False
        if job.creator_id == WEBHOOK_CREATOR:
            return job.private is False
        return self._member(org, job.creator_id)

    def _organization(self, owner_id: int):
        if owner_id not in self._orgs:
            account = self.accounts.find_account_by_id(owner_id)
            self._orgs[owner_id] = account if account is not None \
                and account.is_organization else None
        return self._orgs[owner_id]

    def _member(self, org, user_id: int) -> bool:
        key = (org.id, user_id)
        if key not in self._members:
            self._members[key] = self.accounts.is_org_member(org, user_id)
        return self._members[key]
