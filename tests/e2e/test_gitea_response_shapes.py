"""Every /api/v1 response body of a realistic scenario checked against the response schema
Gitea's spec gives its operation (gitea_swagger.py): what Gitea's generated clients (Go SDK,
swagger-generated Python) would choke on. One test case per endpoint; a failure names the
endpoint, the status and each field that breaks the spec."""

from __future__ import annotations

import base64

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate
from plue_actions.testing import ProtocolRunner, transport_for_client

import gitea_swagger

SSH_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIChYZZik0SOTcYhEwOhr/3ajjhuPB8J4ocORyrhLDF+B "
           "conformance")
WORKFLOW = "on: [push, workflow_dispatch]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n"

# Every endpoint the scenario calls, as "METHOD <spec template>": the test ids.
ENDPOINTS = """
GET /version
GET /settings/api
GET /user
POST /admin/users
GET /admin/users
PATCH /admin/users/{username}
GET /admin/orgs
POST /admin/users/{username}/orgs
GET /users/{username}
GET /users/search
POST /users/{username}/tokens
GET /users/{username}/tokens
DELETE /users/{username}/tokens/{token}
POST /user/keys
GET /user/keys
GET /user/keys/{id}
GET /users/{username}/keys
DELETE /user/keys/{id}
POST /orgs
GET /orgs
GET /orgs/{org}
PATCH /orgs/{org}
GET /user/orgs
GET /users/{username}/orgs
GET /users/{username}/orgs/{org}/permissions
GET /orgs/{org}/members
GET /orgs/{org}/public_members
POST /orgs/{org}/teams
GET /orgs/{org}/teams
GET /orgs/{org}/teams/search
GET /teams/{id}
PATCH /teams/{id}
PUT /teams/{id}/members/{username}
GET /teams/{id}/members
GET /teams/{id}/members/{username}
GET /user/teams
POST /orgs/{org}/repos
GET /orgs/{org}/repos
POST /orgs/{org}/labels
GET /orgs/{org}/labels
POST /user/repos
GET /user/repos
GET /users/{username}/repos
GET /repos/search
GET /repos/{owner}/{repo}
GET /repositories/{id}
PATCH /repos/{owner}/{repo}
POST /repos/{owner}/{repo}/contents/{filepath}
PUT /repos/{owner}/{repo}/contents/{filepath}
GET /repos/{owner}/{repo}/contents/{filepath}
GET /repos/{owner}/{repo}/contents
POST /repos/{owner}/{repo}/contents
DELETE /repos/{owner}/{repo}/contents/{filepath}
POST /repos/{owner}/{repo}/branches
GET /repos/{owner}/{repo}/branches
GET /repos/{owner}/{repo}/branches/{branch}
POST /repos/{owner}/{repo}/branch_protections
GET /repos/{owner}/{repo}/branch_protections
GET /repos/{owner}/{repo}/branch_protections/{name}
PATCH /repos/{owner}/{repo}/branch_protections/{name}
DELETE /repos/{owner}/{repo}/branch_protections/{name}
GET /repos/{owner}/{repo}/commits
GET /repos/{owner}/{repo}/git/commits/{sha}
GET /repos/{owner}/{repo}/git/trees/{sha}
GET /repos/{owner}/{repo}/git/blobs/{sha}
GET /repos/{owner}/{repo}/git/refs
GET /repos/{owner}/{repo}/git/refs/{ref}
GET /repos/{owner}/{repo}/compare/{basehead}
POST /repos/{owner}/{repo}/tags
GET /repos/{owner}/{repo}/tags
GET /repos/{owner}/{repo}/tags/{tag}
GET /repos/{owner}/{repo}/git/tags/{sha}
PUT /repos/{owner}/{repo}/collaborators/{collaborator}
GET /repos/{owner}/{repo}/collaborators
GET /repos/{owner}/{repo}/assignees
GET /repos/{owner}/{repo}/collaborators/{collaborator}/permission
GET /repos/{owner}/{repo}/forks
POST /repos/{owner}/{repo}/forks
POST /repos/{owner}/{repo}/labels
GET /repos/{owner}/{repo}/labels
GET /repos/{owner}/{repo}/labels/{id}
PATCH /repos/{owner}/{repo}/labels/{id}
POST /repos/{owner}/{repo}/milestones
GET /repos/{owner}/{repo}/milestones
GET /repos/{owner}/{repo}/milestones/{id}
PATCH /repos/{owner}/{repo}/milestones/{id}
POST /repos/{owner}/{repo}/issues
GET /repos/{owner}/{repo}/issues
GET /repos/{owner}/{repo}/issues/{index}
PATCH /repos/{owner}/{repo}/issues/{index}
POST /repos/{owner}/{repo}/issues/{index}/labels
GET /repos/{owner}/{repo}/issues/{index}/labels
PUT /repos/{owner}/{repo}/issues/{index}/labels
POST /repos/{owner}/{repo}/issues/{index}/assignees
POST /repos/{owner}/{repo}/issues/{index}/comments
GET /repos/{owner}/{repo}/issues/{index}/comments
GET /repos/{owner}/{repo}/issues/comments
GET /repos/{owner}/{repo}/issues/comments/{id}
PATCH /repos/{owner}/{repo}/issues/comments/{id}
POST /repos/{owner}/{repo}/pulls
GET /repos/{owner}/{repo}/pulls
GET /repos/{owner}/{repo}/pulls/{index}
PATCH /repos/{owner}/{repo}/pulls/{index}
GET /repos/{owner}/{repo}/pulls/{base}/{head}
GET /repos/{owner}/{repo}/pulls/{index}/commits
GET /repos/{owner}/{repo}/pulls/{index}/files
POST /repos/{owner}/{repo}/pulls/{index}/reviews
GET /repos/{owner}/{repo}/pulls/{index}/reviews
GET /repos/{owner}/{repo}/pulls/{index}/reviews/{id}
GET /repos/{owner}/{repo}/pulls/{index}/reviews/{id}/comments
POST /repos/{owner}/{repo}/pulls/{index}/merge
GET /repos/{owner}/{repo}/pulls/{index}/merge
POST /repos/{owner}/{repo}/statuses/{sha}
GET /repos/{owner}/{repo}/statuses/{sha}
GET /repos/{owner}/{repo}/commits/{ref}/statuses
GET /repos/{owner}/{repo}/commits/{ref}/status
POST /repos/{owner}/{repo}/actions/runners/registration-token
GET /repos/{owner}/{repo}/actions/runners
GET /repos/{owner}/{repo}/actions/runners/{runner_id}
GET /repos/{owner}/{repo}/actions/runs
GET /repos/{owner}/{repo}/actions/runs/{run}
GET /repos/{owner}/{repo}/actions/runs/{run}/jobs
GET /repos/{owner}/{repo}/actions/jobs
GET /repos/{owner}/{repo}/actions/jobs/{job_id}
GET /repos/{owner}/{repo}/actions/runs/{run}/artifacts
GET /repos/{owner}/{repo}/actions/artifacts
GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}
GET /repos/{owner}/{repo}/actions/workflows
GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}
PUT /repos/{owner}/{repo}/actions/secrets/{secretname}
GET /repos/{owner}/{repo}/actions/secrets
POST /repos/{owner}/{repo}/actions/variables/{variablename}
GET /repos/{owner}/{repo}/actions/variables
GET /repos/{owner}/{repo}/actions/variables/{variablename}
PUT /repos/{owner}/{repo}/actions/variables/{variablename}
PUT /orgs/{org}/actions/secrets/{secretname}
GET /orgs/{org}/actions/secrets
POST /orgs/{org}/actions/variables/{variablename}
GET /orgs/{org}/actions/variables
GET /orgs/{org}/actions/runners
POST /orgs/{org}/actions/runners/registration-token
GET /orgs/{org}/actions/runs
GET /orgs/{org}/actions/jobs
GET /user/actions/runners
GET /user/actions/runs
GET /user/actions/jobs
GET /user/actions/variables
POST /user/actions/runners/registration-token
GET /admin/actions/runners
GET /admin/actions/runs
GET /admin/actions/jobs
POST /admin/actions/runners/registration-token
DELETE /repos/{owner}/{repo}/actions/artifacts/{artifact_id}
GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs
GET /repos/{owner}/{repo}/actions/runs/{run}/attempts/{attempt}
GET /repos/{owner}/{repo}/actions/runs/{run}/attempts/{attempt}/jobs
GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip
POST /repos/{owner}/{repo}/actions/runs/{run}/rerun
PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/disable
PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable
POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches
DELETE /repos/{owner}/{repo}/actions/runs/{run}
GET /repos/{owner}/{repo}/actions/runners/registration-token
PATCH /repos/{owner}/{repo}/actions/runners/{runner_id}
DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}
GET /orgs/{org}/actions/runners/registration-token
GET /orgs/{org}/actions/runners/{runner_id}
PATCH /orgs/{org}/actions/runners/{runner_id}
DELETE /orgs/{org}/actions/runners/{runner_id}
GET /user/actions/runners/registration-token
GET /user/actions/runners/{runner_id}
PATCH /user/actions/runners/{runner_id}
DELETE /user/actions/runners/{runner_id}
GET /admin/actions/runners/registration-token
GET /admin/actions/runners/{runner_id}
PATCH /admin/actions/runners/{runner_id}
DELETE /admin/actions/runners/{runner_id}
PUT /user/actions/secrets/{secretname}
DELETE /user/actions/secrets/{secretname}
POST /user/actions/variables/{variablename}
GET /user/actions/variables/{variablename}
PUT /user/actions/variables/{variablename}
DELETE /user/actions/variables/{variablename}
GET /orgs/{org}/actions/variables/{variablename}
PUT /orgs/{org}/actions/variables/{variablename}
DELETE /orgs/{org}/actions/variables/{variablename}
DELETE /orgs/{org}/actions/secrets/{secretname}
DELETE /repos/{owner}/{repo}/actions/secrets/{secretname}
DELETE /repos/{owner}/{repo}/actions/variables/{variablename}
GET /repos/{owner}/{repo}/raw/{filepath}
GET /orgs/{org}/members/{username}
PUT /orgs/{org}/public_members/{username}
GET /orgs/{org}/public_members/{username}
DELETE /orgs/{org}/public_members/{username}
POST /admin/users/{username}/keys
DELETE /admin/users/{username}/keys/{id}
POST /admin/users/{username}/repos
GET /repos/{owner}/{repo}/collaborators/{collaborator}
GET /repos/{owner}/{repo}/issues/{index}/assignees/{assignee}
DELETE /repos/{owner}/{repo}/issues/{index}/assignees
DELETE /repos/{owner}/{repo}/issues/{index}/labels/{id}
DELETE /repos/{owner}/{repo}/issues/{index}/labels
PATCH /repos/{owner}/{repo}/issues/{index}/comments/{id}
DELETE /repos/{owner}/{repo}/issues/{index}/comments/{id}
DELETE /repos/{owner}/{repo}/issues/comments/{id}
DELETE /repos/{owner}/{repo}/labels/{id}
DELETE /repos/{owner}/{repo}/milestones/{id}
GET /orgs/{org}/labels/{id}
PATCH /orgs/{org}/labels/{id}
DELETE /orgs/{org}/labels/{id}
DELETE /repos/{owner}/{repo}/issues/{index}
POST /repos/{owner}/{repo}/pulls/{index}/reviews/{id}
POST /repos/{owner}/{repo}/pulls/{index}/reviews/{id}/dismissals
POST /repos/{owner}/{repo}/pulls/{index}/reviews/{id}/undismissals
DELETE /repos/{owner}/{repo}/pulls/{index}/reviews/{id}
POST /repos/{owner}/{repo}/pulls/{index}/requested_reviewers
DELETE /repos/{owner}/{repo}/pulls/{index}/requested_reviewers
POST /repos/{owner}/{repo}/pulls/{index}/update
DELETE /repos/{owner}/{repo}/tags/{tag}
DELETE /repos/{owner}/{repo}/branches/{branch}
DELETE /repos/{owner}/{repo}/collaborators/{collaborator}
DELETE /teams/{id}/members/{username}
DELETE /teams/{id}
DELETE /orgs/{org}/members/{username}
DELETE /admin/users/{username}
DELETE /orgs/{org}
DELETE /repos/{owner}/{repo}
""".strip().splitlines()


class Scenario:
    """A falcon TestClient that remembers every /api/v1 response under its spec endpoint."""

    def __init__(self, client):
        self.client = client
        self.responses: dict[str, list] = {}

    def call(self, method: str, path: str, body=None, *, user: str | None = "alice",
             expect: int | tuple = (200, 201, 202, 204), **kwargs):
        headers = {**(basic_auth(user) if user else {}), **kwargs.pop("headers", {})}
        result = self.client.simulate_request(method, f"/api/v1{path}", json=body,
                                              headers=headers, **kwargs)
        expected = expect if isinstance(expect, tuple) else (expect,)
        assert result.status_code in expected, (method, path, result.status_code, result.text)
        template = gitea_swagger.template_for(path)
        assert template, f"{path} is not in Gitea's spec"
        self.responses.setdefault(f"{method} {template}", []).append(result)
        is_json = (result.headers.get("content-type") or "").startswith("application/json")
        return result.json if result.content and is_json else None


def run_scenario(s: Scenario, ctx) -> None:
    make_user(ctx, "root", admin=True)
    make_user(ctx, "alice")
    make_user(ctx, "bob")
    s.call("GET", "/version", user=None)
    s.call("GET", "/settings/api")
    s.call("GET", "/user")
    s.call("POST", "/admin/users", {"username": "carol", "email": "carol@example.com",
                                    "password": "carol-password-1", "must_change_password": False},
           user="root")
    s.call("GET", "/admin/users", user="root")
    s.call("PATCH", "/admin/users/carol", {"login_name": "carol", "full_name": "Carol C",
                                           "source_id": 0}, user="root")
    s.call("POST", "/admin/users/carol/orgs", {"username": "carols-org"}, user="root")
    s.call("GET", "/admin/orgs", user="root")
    s.call("GET", "/users/alice")
    s.call("GET", "/users/search", params={"q": "al"})
    token = s.call("POST", "/users/alice/tokens", {"name": "ci", "scopes": ["all"]})
    s.call("GET", "/users/alice/tokens")
    s.call("DELETE", f"/users/alice/tokens/{token['id']}")
    key = s.call("POST", "/user/keys", {"title": "laptop", "key": SSH_KEY})
    s.call("GET", "/user/keys")
    s.call("GET", f"/user/keys/{key['id']}")
    s.call("GET", "/users/alice/keys")
    s.call("DELETE", f"/user/keys/{key['id']}")

    s.call("POST", "/orgs", {"username": "acme", "full_name": "Acme", "visibility": "public"})
    s.call("GET", "/orgs")
    s.call("GET", "/orgs/acme")
    s.call("PATCH", "/orgs/acme", {"description": "Makers of things"})
    s.call("GET", "/user/orgs")
    s.call("GET", "/users/alice/orgs")
    s.call("GET", "/users/alice/orgs/acme/permissions")
    s.call("GET", "/orgs/acme/members")
    s.call("GET", "/orgs/acme/public_members")
    team = s.call("POST", "/orgs/acme/teams", {"name": "devs", "permission": "write",
                                                "units": ["repo.code", "repo.issues"]})
    s.call("GET", "/orgs/acme/teams")
    s.call("GET", "/orgs/acme/teams/search", params={"q": "dev"})
    s.call("GET", f"/teams/{team['id']}")
    s.call("PATCH", f"/teams/{team['id']}", {"name": "devs", "description": "Developers"})
    s.call("PUT", f"/teams/{team['id']}/members/bob")
    s.call("GET", f"/teams/{team['id']}/members")
    s.call("GET", f"/teams/{team['id']}/members/bob")
    s.call("GET", "/user/teams", user="bob")
    s.call("POST", "/orgs/acme/repos", {"name": "tools"})
    s.call("GET", "/orgs/acme/repos")
    s.call("POST", "/orgs/acme/labels", {"name": "org-wide", "color": "#00aabb"})
    s.call("GET", "/orgs/acme/labels")

    repo = s.call("POST", "/user/repos", {"name": "demo", "description": "conformance"})
    s.call("GET", "/user/repos")
    s.call("GET", "/users/alice/repos")
    s.call("GET", "/repos/search", params={"q": "demo"})
    s.call("GET", "/repos/alice/demo")
    s.call("GET", f"/repositories/{repo['id']}")
    s.call("PATCH", "/repos/alice/demo", {"website": "https://example.com"})
    encode = lambda text: base64.b64encode(text.encode()).decode()  # noqa: E731
    created = s.call("POST", "/repos/alice/demo/contents/README.md",
                     {"content": encode("# Demo\n"), "message": "first commit", "branch": "main"})
    s.call("PUT", "/repos/alice/demo/contents/README.md",
           {"content": encode("# Demo\n\nMore.\n"), "message": "update", "sha": created["content"]["sha"]})
    s.call("POST", "/repos/alice/demo/contents/src/app.py", {"content": encode("print(1)\n"),
                                                             "message": "add app"})
    s.call("POST", "/repos/alice/demo/contents", {"message": "two files", "files": [
        {"operation": "create", "path": "docs/a.md", "content": encode("a\n")},
        {"operation": "create", "path": "docs/b.md", "content": encode("b\n")}]}, expect=201)
    blob = s.call("GET", "/repos/alice/demo/contents/README.md")
    s.call("GET", "/repos/alice/demo/contents/src")
    s.call("GET", "/repos/alice/demo/contents")
    s.call("DELETE", "/repos/alice/demo/contents/docs/b.md",
           {"message": "drop b", "sha": s.call("GET", "/repos/alice/demo/contents/docs/b.md")["sha"]})
    s.call("POST", "/repos/alice/demo/branches", {"new_branch_name": "feature", "old_branch_name": "main"})
    s.call("GET", "/repos/alice/demo/branches")
    branch = s.call("GET", "/repos/alice/demo/branches/main")
    head = branch["commit"]["id"]
    s.call("POST", "/repos/alice/demo/branch_protections", {"rule_name": "main",
                                                            "required_approvals": 0})
    s.call("GET", "/repos/alice/demo/branch_protections")
    s.call("GET", "/repos/alice/demo/branch_protections/main")
    s.call("PATCH", "/repos/alice/demo/branch_protections/main", {"enable_status_check": False})
    s.call("GET", "/repos/alice/demo/commits")
    commit = s.call("GET", f"/repos/alice/demo/git/commits/{head}")
    tree = s.call("GET", f"/repos/alice/demo/git/trees/{commit['commit']['tree']['sha']}")
    s.call("GET", f"/repos/alice/demo/git/trees/{head}", params={"recursive": "true"})
    s.call("GET", f"/repos/alice/demo/git/blobs/{blob['sha']}")
    assert tree["tree"]
    s.call("GET", "/repos/alice/demo/git/refs")
    s.call("GET", "/repos/alice/demo/git/refs/heads")
    s.call("POST", "/repos/alice/demo/tags", {"tag_name": "v1.0", "message": "release one",
                                              "target": "main"})
    s.call("POST", "/repos/alice/demo/tags", {"tag_name": "light", "target": "main"})
    s.call("GET", "/repos/alice/demo/tags")
    tag = s.call("GET", "/repos/alice/demo/tags/v1.0")
    s.call("GET", f"/repos/alice/demo/git/tags/{tag['id']}")
    s.call("PUT", "/repos/alice/demo/collaborators/bob", {"permission": "write"})
    s.call("GET", "/repos/alice/demo/collaborators")
    s.call("GET", "/repos/alice/demo/assignees")
    s.call("GET", "/repos/alice/demo/collaborators/bob/permission")
    s.call("POST", "/repos/alice/demo/forks", {"name": "demo-fork"}, user="bob")
    s.call("GET", "/repos/alice/demo/forks")

    bug = s.call("POST", "/repos/alice/demo/labels", {"name": "bug", "color": "#ee0701"})
    s.call("GET", "/repos/alice/demo/labels")
    s.call("GET", f"/repos/alice/demo/labels/{bug['id']}")
    s.call("PATCH", f"/repos/alice/demo/labels/{bug['id']}", {"description": "Something broke"})
    milestone = s.call("POST", "/repos/alice/demo/milestones", {"title": "v1",
                                                                 "due_on": "2030-01-01T00:00:00Z"})
    s.call("GET", "/repos/alice/demo/milestones")
    s.call("GET", f"/repos/alice/demo/milestones/{milestone['id']}")
    s.call("PATCH", f"/repos/alice/demo/milestones/{milestone['id']}", {"description": "first"})
    issue = s.call("POST", "/repos/alice/demo/issues", {"title": "It breaks", "body": "badly",
                                                        "milestone": milestone["id"]})
    s.call("GET", "/repos/alice/demo/issues")
    s.call("GET", f"/repos/alice/demo/issues/{issue['number']}")
    s.call("PATCH", f"/repos/alice/demo/issues/{issue['number']}", {"due_date": "2030-01-02T00:00:00Z"})
    s.call("POST", f"/repos/alice/demo/issues/{issue['number']}/labels", {"labels": [bug["id"]]})
    s.call("GET", f"/repos/alice/demo/issues/{issue['number']}/labels")
    s.call("PUT", f"/repos/alice/demo/issues/{issue['number']}/labels", {"labels": [bug["id"]]})
    s.call("POST", f"/repos/alice/demo/issues/{issue['number']}/assignees", {"assignees": ["bob"]})
    comment = s.call("POST", f"/repos/alice/demo/issues/{issue['number']}/comments", {"body": "same here"},
                     user="bob")
    s.call("GET", f"/repos/alice/demo/issues/{issue['number']}/comments")
    s.call("GET", "/repos/alice/demo/issues/comments")
    s.call("GET", f"/repos/alice/demo/issues/comments/{comment['id']}")
    s.call("PATCH", f"/repos/alice/demo/issues/comments/{comment['id']}", {"body": "edited"}, user="bob")
    s.call("PATCH", f"/repos/alice/demo/issues/{issue['number']}", {"state": "closed"})

    s.call("POST", "/repos/alice/demo/contents/feature.txt", {"content": encode("new\n"),
                                                              "message": "feature", "branch": "feature"})
    s.call("GET", "/repos/alice/demo/compare/main...feature")
    pull = s.call("POST", "/repos/alice/demo/pulls", {"title": "Add feature", "head": "feature",
                                                      "base": "main", "body": "please"})
    number = pull["number"]
    s.call("GET", "/repos/alice/demo/pulls")
    s.call("GET", f"/repos/alice/demo/pulls/{number}")
    s.call("PATCH", f"/repos/alice/demo/pulls/{number}", {"body": "please merge"})
    s.call("GET", "/repos/alice/demo/pulls/main/feature")
    s.call("GET", f"/repos/alice/demo/pulls/{number}/commits")
    s.call("GET", f"/repos/alice/demo/pulls/{number}/files")
    review = s.call("POST", f"/repos/alice/demo/pulls/{number}/reviews",
                    {"event": "APPROVED", "body": "ship it", "comments": [
                        {"path": "feature.txt", "body": "nice line", "new_position": 1}]}, user="bob")
    s.call("GET", f"/repos/alice/demo/pulls/{number}/reviews")
    s.call("GET", f"/repos/alice/demo/pulls/{number}/reviews/{review['id']}")
    s.call("GET", f"/repos/alice/demo/pulls/{number}/reviews/{review['id']}/comments")
    pull_head = s.call("GET", "/repos/alice/demo/branches/feature")["commit"]["id"]
    s.call("POST", f"/repos/alice/demo/statuses/{pull_head}", {"state": "success", "context": "ci",
                                                               "target_url": "https://ci.example.com/1",
                                                               "description": "passed"})
    s.call("GET", f"/repos/alice/demo/statuses/{pull_head}")
    s.call("GET", "/repos/alice/demo/commits/feature/statuses")
    s.call("GET", "/repos/alice/demo/commits/feature/status")
    s.call("POST", f"/repos/alice/demo/pulls/{number}/merge", {"Do": "merge"})
    s.call("GET", f"/repos/alice/demo/pulls/{number}/merge")
    s.call("DELETE", "/repos/alice/demo/branch_protections/main")

    run_actions(s)
    run_more_actions(s)
    run_removals(s, number)
    s.call("DELETE", "/repos/bob/demo-fork", user="bob")


def run_actions(s: Scenario) -> None:
    registration = s.call("POST", "/repos/alice/demo/actions/runners/registration-token")
    runner = ProtocolRunner(transport_for_client(s.client))
    runner.register(registration["token"], name="runner-1", labels=("ubuntu-latest",))
    s.call("PUT", "/repos/alice/demo/actions/secrets/DEPLOY_KEY", {"data": "s3cret"})
    s.call("GET", "/repos/alice/demo/actions/secrets")
    s.call("POST", "/repos/alice/demo/actions/variables/GREETING", {"value": "hello"})
    s.call("GET", "/repos/alice/demo/actions/variables")
    s.call("GET", "/repos/alice/demo/actions/variables/GREETING")
    s.call("PUT", "/repos/alice/demo/actions/variables/GREETING", {"value": "hi"})
    s.call("POST", "/repos/alice/demo/contents/.gitea/workflows/ci.yml",
           {"content": base64.b64encode(WORKFLOW.encode()).decode(), "message": "ci"})
    task = runner.fetch()
    assert task, "the pushed workflow gave the runner no task"
    run_id = task["context"]["run_id"]
    upload = s.client.simulate_put(f"/api/actions/artifacts/{run_id}/report.txt", body=b"report",
                                   headers={"Authorization": f"Bearer {task['context']['token']}"})
    assert upload.status_code == 201, upload.text
    runners = s.call("GET", "/repos/alice/demo/actions/runners")
    s.call("GET", f"/repos/alice/demo/actions/runners/{runners['runners'][0]['id']}")
    s.call("GET", "/repos/alice/demo/actions/runs")
    s.call("GET", f"/repos/alice/demo/actions/runs/{run_id}")
    jobs = s.call("GET", f"/repos/alice/demo/actions/runs/{run_id}/jobs")
    s.call("GET", "/repos/alice/demo/actions/jobs")
    s.call("GET", f"/repos/alice/demo/actions/jobs/{jobs['jobs'][0]['id']}")
    artifacts = s.call("GET", f"/repos/alice/demo/actions/runs/{run_id}/artifacts")
    s.call("GET", "/repos/alice/demo/actions/artifacts")
    artifact_id = artifacts["artifacts"][0]["id"]
    s.call("GET", f"/repos/alice/demo/actions/artifacts/{artifact_id}")
    s.call("GET", "/repos/alice/demo/actions/workflows")
    s.call("GET", "/repos/alice/demo/actions/workflows/ci.yml")
    s.call("PUT", "/orgs/acme/actions/secrets/ORG_TOKEN", {"data": "o"})
    s.call("GET", "/orgs/acme/actions/secrets")
    s.call("POST", "/orgs/acme/actions/variables/REGION", {"value": "eu"})
    s.call("GET", "/orgs/acme/actions/variables")
    s.call("GET", "/orgs/acme/actions/runners")
    s.call("POST", "/orgs/acme/actions/runners/registration-token")
    s.call("GET", "/orgs/acme/actions/runs")
    s.call("GET", "/orgs/acme/actions/jobs")
    s.call("GET", "/user/actions/runners")
    s.call("GET", "/user/actions/runs")
    s.call("GET", "/user/actions/jobs")
    s.call("GET", "/user/actions/variables")
    s.call("POST", "/user/actions/runners/registration-token")
    s.call("GET", "/admin/actions/runners", user="root")
    s.call("GET", "/admin/actions/runs", user="root")
    s.call("GET", "/admin/actions/jobs", user="root")
    s.call("POST", "/admin/actions/runners/registration-token", user="root")
    s.call("GET", f"/repos/alice/demo/actions/artifacts/{artifact_id}/zip", expect=(200, 302))
    s.call("DELETE", f"/repos/alice/demo/actions/artifacts/{artifact_id}")


OTHER_FAMILIES = ("runnerhub", "tracked_repos", "security", "runners", "nodes", "monitoring")


def run_more_actions(s: Scenario) -> None:
    """Runs, jobs, workflows and runners of every scope, read, changed and removed."""
    run_id = s.call("GET", "/repos/alice/demo/actions/runs")["workflow_runs"][-1]["id"]
    job_id = s.call("GET", f"/repos/alice/demo/actions/runs/{run_id}/jobs")["jobs"][0]["id"]
    s.call("GET", f"/repos/alice/demo/actions/jobs/{job_id}/logs")
    s.call("GET", f"/repos/alice/demo/actions/runs/{run_id}/attempts/1")
    s.call("GET", f"/repos/alice/demo/actions/runs/{run_id}/attempts/1/jobs")
    # cancel is Plue's (GitHub's) extra, not in Gitea's spec: not recorded
    s.client.simulate_post(f"/api/v1/repos/alice/demo/actions/runs/{run_id}/cancel",
                           headers=basic_auth("alice"))
    s.call("POST", f"/repos/alice/demo/actions/runs/{run_id}/rerun")
    s.call("PUT", "/repos/alice/demo/actions/workflows/ci.yml/disable")
    s.call("PUT", "/repos/alice/demo/actions/workflows/ci.yml/enable")
    s.call("POST", "/repos/alice/demo/actions/workflows/ci.yml/dispatches", {"ref": "main"})
    s.call("POST", "/repos/alice/demo/actions/workflows/ci.yml/dispatches", {"ref": "main"},
           params={"return_run_details": "true"})
    s.call("DELETE", f"/repos/alice/demo/actions/runs/{run_id}", expect=(204, 400))
    for prefix, user in (("/repos/alice/demo", "alice"), ("/orgs/acme", "alice"),
                         ("/user", "bob"), ("/admin", "root")):
        # 1.25's GET, which main replaced by POST: both are served for older clients.
        token = s.call("GET", f"{prefix}/actions/runners/registration-token", user=user)["token"]
        ProtocolRunner(transport_for_client(s.client)).register(token, name=f"r-{user}-{len(prefix)}")
        runner_id = s.call("GET", f"{prefix}/actions/runners", user=user)["runners"][-1]["id"]
        s.call("GET", f"{prefix}/actions/runners/{runner_id}", user=user)
        s.call("PATCH", f"{prefix}/actions/runners/{runner_id}", {"disabled": True}, user=user)
        s.call("DELETE", f"{prefix}/actions/runners/{runner_id}", user=user)
    s.call("PUT", "/user/actions/secrets/MINE", {"data": "m"}, user="bob")
    s.call("DELETE", "/user/actions/secrets/MINE", user="bob")
    s.call("POST", "/user/actions/variables/COLOUR", {"value": "red"}, user="bob")
    s.call("GET", "/user/actions/variables/COLOUR", user="bob")
    s.call("PUT", "/user/actions/variables/COLOUR", {"value": "blue"}, user="bob")
    s.call("DELETE", "/user/actions/variables/COLOUR", user="bob")
    s.call("GET", "/orgs/acme/actions/variables/REGION")
    s.call("PUT", "/orgs/acme/actions/variables/REGION", {"value": "us"})
    s.call("DELETE", "/orgs/acme/actions/variables/REGION")
    s.call("DELETE", "/orgs/acme/actions/secrets/ORG_TOKEN")
    s.call("DELETE", "/repos/alice/demo/actions/secrets/DEPLOY_KEY")
    s.call("DELETE", "/repos/alice/demo/actions/variables/GREETING")


def run_removals(s: Scenario, number: int) -> None:
    """The remaining reads, the reviews' life cycle, then every DELETE."""
    encode = lambda text: base64.b64encode(text.encode()).decode()  # noqa: E731
    s.call("GET", "/repos/alice/demo/raw/README.md")
    s.call("GET", "/orgs/acme/members/alice")
    s.call("PUT", "/orgs/acme/public_members/alice")
    s.call("GET", "/orgs/acme/public_members/alice")
    s.call("DELETE", "/orgs/acme/public_members/alice")
    s.call("POST", "/admin/users/carol/keys", {"title": "carols", "key": SSH_KEY}, user="root")
    key_id = s.client.simulate_get("/api/v1/users/carol/keys").json[0]["id"]
    s.call("DELETE", f"/admin/users/carol/keys/{key_id}", user="root")
    s.call("POST", "/admin/users/carol/repos", {"name": "carols-repo"}, user="root")
    s.call("GET", "/repos/alice/demo/collaborators/bob")
    issue = s.call("POST", "/repos/alice/demo/issues", {"title": "Second", "assignees": ["bob"]})
    index = issue["number"]
    s.call("GET", f"/repos/alice/demo/issues/{index}/assignees/bob", expect=(204, 404))
    s.call("DELETE", f"/repos/alice/demo/issues/{index}/assignees", {"assignees": ["bob"]})
    label = s.call("POST", "/repos/alice/demo/labels", {"name": "temp", "color": "00ff00"})
    s.call("POST", f"/repos/alice/demo/issues/{index}/labels", {"labels": [label["id"]]})
    s.call("DELETE", f"/repos/alice/demo/issues/{index}/labels/{label['id']}")
    s.call("DELETE", f"/repos/alice/demo/issues/{index}/labels")
    comment = s.call("POST", f"/repos/alice/demo/issues/{index}/comments", {"body": "one"})
    s.call("PATCH", f"/repos/alice/demo/issues/{index}/comments/{comment['id']}", {"body": "uno"})
    s.call("DELETE", f"/repos/alice/demo/issues/{index}/comments/{comment['id']}")
    comment = s.call("POST", f"/repos/alice/demo/issues/{index}/comments", {"body": "two"})
    s.call("DELETE", f"/repos/alice/demo/issues/comments/{comment['id']}")
    s.call("DELETE", f"/repos/alice/demo/labels/{label['id']}")
    milestone = s.call("POST", "/repos/alice/demo/milestones", {"title": "temp"})
    s.call("DELETE", f"/repos/alice/demo/milestones/{milestone['id']}")
    org_label = s.call("GET", "/orgs/acme/labels")[0]["id"]
    s.call("GET", f"/orgs/acme/labels/{org_label}")
    s.call("PATCH", f"/orgs/acme/labels/{org_label}", {"description": "everywhere"})
    s.call("DELETE", f"/orgs/acme/labels/{org_label}")
    s.call("DELETE", f"/repos/alice/demo/issues/{index}", user="root")

    s.call("POST", "/repos/alice/demo/branches", {"new_branch_name": "second", "old_branch_name": "main"})
    s.call("POST", "/repos/alice/demo/contents/second.txt", {"content": encode("2\n"),
                                                             "message": "second", "branch": "second"})
    pull = s.call("POST", "/repos/alice/demo/pulls", {"title": "Second", "head": "second", "base": "main"})
    reviews = f"/repos/alice/demo/pulls/{pull['number']}/reviews"
    pending = s.call("POST", reviews, {"body": "draft"}, user="bob")
    s.call("POST", f"{reviews}/{pending['id']}", {"event": "REQUEST_CHANGES", "body": "fix it"}, user="bob")
    s.call("POST", f"{reviews}/{pending['id']}/dismissals", {"message": "outdated"})
    s.call("POST", f"{reviews}/{pending['id']}/undismissals")
    draft = s.call("POST", reviews, {"body": "another draft"}, user="bob")
    s.call("DELETE", f"{reviews}/{draft['id']}", user="bob")
    requested = f"/repos/alice/demo/pulls/{pull['number']}/requested_reviewers"
    s.call("POST", requested, {"reviewers": ["bob"]}, expect=201)
    s.call("DELETE", requested, {"reviewers": ["bob"]}, expect=204)
    s.call("POST", f"/repos/alice/demo/pulls/{pull['number']}/update", params={"style": "merge"},
           expect=200)

    s.call("DELETE", "/repos/alice/demo/tags/light")
    s.call("DELETE", "/repos/alice/demo/branches/feature")
    s.call("DELETE", "/repos/alice/demo/collaborators/bob")
    team = s.call("GET", "/orgs/acme/teams/search", params={"q": "devs"})["data"][0]
    s.call("DELETE", f"/teams/{team['id']}/members/bob")
    s.call("PUT", f"/teams/{team['id']}/members/bob")
    s.call("DELETE", "/orgs/acme/members/bob")
    s.call("DELETE", f"/teams/{team['id']}")
    s.call("DELETE", "/admin/users/carol", params={"purge": "true"}, user="root")
    s.call("DELETE", "/repos/acme/tools")
    s.call("DELETE", "/orgs/acme")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gitea-shapes")
    with fresh_database_url(tmp_path) as url:
        # Only the plugins that serve /api/v1 (and the runner protocol the actions steps use).
        app = create_app(make_test_config(tmp_path, url, plugins={"disabled": list(OTHER_FAMILIES)}))
        migrate(app)
        try:
            scenario = Scenario(falcon.testing.TestClient(app))
            run_scenario(scenario, app.plue)
            yield scenario.responses
        finally:
            app.plue.close()


# Gitea's spec documents these bodies as headers or not at all; what Gitea's server really sends.
REAL_BODIES = {
    # routers/api/v1/shared/runners.go writes JSON {"token": ...} with 200 (the spec: a header).
    "RegistrationToken": {"type": "object", "required": ["token"],
                          "properties": {"token": {"type": "string"}}},
}


def _expected_schema(endpoint: str, status: int, is_list: bool = False):
    method, template = endpoint.split(" ", 1)
    if endpoint == "POST /repos/{owner}/{repo}/tags" and status == 201:
        # The spec says 200; routers/api/v1/repo/tag.go CreateTag really answers 201 Created.
        status = 200
    if template.endswith(("/dependencies", "/blocks")) and method == "DELETE" and status == 201:
        # The spec says 200; routers/api/v1/repo/issue_dependency.go answers a removal with
        # 201 Created and the issue, as Plue does.
        status = 200
    documented, schema = gitea_swagger.response_schema(method, template, status)
    if template.endswith("/runners/registration-token"):
        return True, REAL_BODIES["RegistrationToken"]
    if endpoint == "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip" and status == 200:
        # The spec says 302 only; routers/api/v1/repo/action.go redirects for v4 artifacts and
        # streams the zip itself (200) for the others, as Plue does.
        return True, None
    if endpoint == "GET /repos/{owner}/{repo}/contents/{filepath}" and is_list:
        # The spec names ContentsResponse, but for a directory Gitea returns []ContentsResponse
        # (routers/api/v1/repo/file.go GetContents; the operation's description says so).
        return True, {"type": "array", "items": {"$ref": "#/definitions/ContentsResponse"},
                      "definitions": gitea_swagger.definitions()}
    if endpoint == "GET /topics/search" and status == 200:
        # The spec names an array of TopicResponse; routers/api/v1/repo/topic.go TopicSearch
        # writes {"topics": [TopicResponse]}, as Plue does.
        return True, {"type": "object", "required": ["topics"],
                      "properties": {"topics": schema}, "definitions": gitea_swagger.definitions()}
    if template == "/user/settings" and status == 200:
        # The spec names an array of UserSettings; routers/api/v1/user/settings.go writes one
        # UserSettings object (convert.User2UserSettings), as Plue does.
        return True, {"allOf": [{"$ref": "#/definitions/UserSettings"}],
                      "definitions": gitea_swagger.definitions()}
    return documented, schema


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_response_body_matches_giteas_spec(recorded, endpoint):
    responses = recorded.get(endpoint)
    assert responses, f"the scenario never called {endpoint}"
    for response in responses:
        is_list = response.content.lstrip().startswith(b"[")
        documented, schema = _expected_schema(endpoint, response.status_code, is_list)
        assert documented, f"{endpoint}: status {response.status_code} is not one Gitea documents"
        if response.status_code == 204:
            assert not response.content.strip(), f"{endpoint}: 204 with a body: {response.content[:200]}"
            continue
        if schema is None or schema.get("type") == "file":  # the spec documents no JSON body
            continue
        found = gitea_swagger.problems(response.json, schema)
        assert not found, f"{endpoint} ({response.status_code}):\n  " + "\n  ".join(found)


def test_every_endpoint_the_scenario_called_is_checked(recorded):
    assert sorted(set(recorded) - set(ENDPOINTS)) == []
