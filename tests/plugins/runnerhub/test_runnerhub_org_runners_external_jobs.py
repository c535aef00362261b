"""An organization's hub runners take the external jobs of the organization's repositories
(``owner/repo`` naming it, case ignored): a delegation by a member of the organization, or a
job GitHub's webhook recorded for a repository GitHub calls public. Another owner's jobs, a
non-member's delegations and private GitHub repositories' jobs never reach them; a private
repository Plue hosts is an actions run for its members and a job that no runner of the
organization takes for anyone else (plue_runnerhub.runner_scopes)."""

import copy
import json
import pathlib

import pytest

from plue_core.db import connection
from plue_core.testing import make_test_config, make_user
from plue_runnerhub import external_assignment
from plue_runnerhub.models import ExternalJob
from plue_runnerhub.testing import (SEED_DELEGATION, data, delegate, error, github_delivery,
                                    hub, register)

SECRET = "org runners"
EXAMPLES = pathlib.Path(__file__).parent / "github_documented_examples"


@pytest.fixture
def plue_config(tmp_path, plue_database_url):
    return make_test_config(tmp_path, plue_database_url,
                            runnerhub={"github_webhook_secret": SECRET})


@pytest.fixture
def org(forge):
    """alice owns ``acme`` (olga, an operator, is in its read team ``devs``) and ``globex``;
    otto is an operator outside both."""
    make_user(forge.ctx, "otto", role="operator")
    for name in ("acme", "globex"):
        assert forge.api("POST", "/orgs", {"username": name}).status_code == 201
    team = forge.api("POST", "/orgs/acme/teams", {"name": "devs", "permission": "read",
                                                  "includes_all_repositories": True})
    assert team.status_code == 201, team.text
    joined = forge.api("PUT", f"/teams/{team.json['id']}/members/olga")
    assert joined.status_code == 204, joined.text
    return forge


def org_runner(forge, owner: str, name: str):
    """A hub runner registered by the organization's owner for it, online (its first poll)."""
    runner = data(hub(forge, "POST", "/api/runners", as_user="alice", body={
        "name": name, "labels": ["ubuntu-latest", "node"], "owner": owner,
        "capabilities": {"max_concurrent_jobs": 5}}), 201)
    headers = {"x-runner-uuid": runner["uuid"], "x-runner-token": runner["token"]}
    held(forge, headers)
    return runner, headers


def held(forge, headers) -> list[str]:
    """The jobs a hub runner holds (its poll, which is also its heartbeat)."""
    return [job["id"] for job in data(hub(forge, "GET", "/api/jobs", as_user=None,
                                          headers=headers))["jobs"]]


def status(forge, job_id: str) -> tuple[str, str | None]:
    job = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="root"))
    return job["status"], job["runner_id"]


def workflow_job(repository: str, *, private, job_id: int) -> dict:
    payload = copy.deepcopy(json.loads((EXAMPLES / "workflow_job.queued.json").read_text()))
    payload["repository"]["full_name"] = repository
    payload["repository"]["private"] = private
    payload["workflow_job"]["id"] = job_id
    payload["workflow_job"]["labels"] = ["ubuntu-latest"]
    return payload


def deliver(forge, payload) -> str:
    """GitHub's delivery of ``payload``; the hub job it recorded."""
    body, headers = github_delivery(SECRET, "workflow_job", payload)
    return data(forge.client.simulate_post("/api/github/webhook", body=body,
                                           headers=headers))["job_id"]


def test_an_org_runner_takes_its_members_delegation_for_the_orgs_repository(org):
    acme, acme_headers = org_runner(org, "acme", "acme-1")
    delegated = delegate(org, repository="acme/widgets")
    assert delegated["status"] == "assigned" and delegated["runner_id"] == acme["id"]
    # GitHub and Plue ignore case in owner names.
    shouted = delegate(org, repository="ACME/widgets", job_id="2")
    assert shouted["runner_id"] == acme["id"]
    assert held(org, acme_headers) == [shouted["job_id"], delegated["job_id"]]


def test_an_org_runner_leaves_another_owners_jobs_and_a_non_members(org):
    _, acme_headers = org_runner(org, "acme", "acme-1")
    _, globex_headers = org_runner(org, "globex", "globex-1")
    elsewhere = delegate(org)  # octo/widgets: nobody's organization here
    outsider = delegate(org, repository="acme/widgets", as_user="otto", job_id="2")
    not_a_globex_member = delegate(org, repository="globex/widgets", job_id="3")
    for job in (elsewhere, outsider, not_a_globex_member):
        assert job["status"] == "queued" and job["runner_id"] is None
    assert held(org, acme_headers) == [] and held(org, globex_headers) == []
    # An instance-wide runner takes them all.
    wide, wide_headers = register(org, "everyone", slots=5)
    assert sorted(held(org, wide_headers)) == sorted(
        job["job_id"] for job in (elsewhere, outsider, not_a_globex_member))
    assert status(org, not_a_globex_member["job_id"]) == ("assigned", wide["id"])


def test_a_user_runner_still_takes_only_its_owners_delegations(org):
    mine = data(hub(org, "POST", "/api/runners", as_user="olga", body={
        "name": "olgas", "labels": ["ubuntu-latest", "node"]}), 201)
    headers = {"x-runner-uuid": mine["uuid"], "x-runner-token": mine["token"]}
    held(org, headers)
    others = delegate(org, as_user="otto")
    own = delegate(org, job_id="2")
    assert own["runner_id"] == mine["id"] and others["runner_id"] is None
    assert held(org, headers) == [own["job_id"]]


def test_a_member_who_leaves_the_org_no_longer_reaches_its_runners(org):
    delegated = delegate(org, repository="acme/widgets")  # no runner online yet
    team = org.api("GET", "/orgs/acme/teams").json
    devs = next(t for t in team if t["name"] == "devs")
    assert org.api("DELETE", f"/teams/{devs['id']}/members/olga").status_code == 204
    _, headers = org_runner(org, "acme", "acme-1")
    assert held(org, headers) == [] and status(org, delegated["job_id"]) == ("pending", None)


def test_a_private_hosted_repository_runs_for_members_and_reaches_no_org_runner_for_others(org):
    made = org.api("POST", "/orgs/acme/repos", {"name": "secret", "private": True,
                                                  "auto_init": True})
    assert made.status_code == 201, made.text
    _, headers = org_runner(org, "acme", "acme-1")
    # otto may not see acme/secret: for him it is a repository Plue does not host, and he is
    # no member, so acme's runner does not get it (nor learn of it).
    outsider = delegate(org, repository="acme/secret", as_user="otto")
    assert outsider["job_id"].startswith("job_ext_") and outsider["runner_id"] is None
    with connection(org.ctx.db):
        external_assignment.scheduled_pass(org.ctx.services["actions"])
    assert held(org, headers) == [] and status(org, outsider["job_id"]) == ("pending", None)
    # olga, a member, reads it: her delegation is about the hosted repository (refused, since
    # her team only reads), never an external job an org runner could hold.
    error(hub(org, "POST", "/api/jobs/delegate", as_user="olga",
              body={**SEED_DELEGATION, "repository": "acme/secret"}), 403, "AUTHORIZATION_FAILED")
    with connection(org.ctx.db):
        assert ExternalJob.select().where(ExternalJob.repository_key == "acme/secret").count() == 1


def test_webhook_jobs_of_the_orgs_public_github_repositories_only(org):
    acme, acme_headers = org_runner(org, "acme", "acme-1")
    public = deliver(org, workflow_job("acme/site", private=False, job_id=1001))
    private = deliver(org, workflow_job("acme/vault", private=True, job_id=1002))
    unsaid = workflow_job("acme/other", private=None, job_id=1003)
    del unsaid["repository"]["private"]
    untold = deliver(org, unsaid)
    someone_elses = deliver(org, workflow_job("octo/site", private=False, job_id=1004))
    assert status(org, public) == ("assigned", acme["id"])
    assert held(org, acme_headers) == [public]
    for job_id in (private, untold, someone_elses):
        assert status(org, job_id) == ("pending", None)
    _, wide_headers = register(org, "everyone", labels=("ubuntu-latest",), slots=5)
    assert sorted(held(org, wide_headers)) == sorted((private, untold, someone_elses))


def test_a_webhook_says_private_as_github_does_or_is_refused(org):
    payload = workflow_job("acme/site", private="yes", job_id=1)
    body, headers = github_delivery(SECRET, "workflow_job", payload)
    refused = org.client.simulate_post("/api/github/webhook", body=body, headers=headers)
    assert refused.status_code == 400
    assert refused.json["error"]["details"]["field"] == "repository.private"
    with connection(org.ctx.db):
        assert ExternalJob.select().count() == 0
