"""The same create twice at once: on PostgreSQL both requests can pass the "is it free?"
check, and the loser's insert then hits the unique index. That was a 500 for a repository
(with ``auto_init``), a fork, a branch protection rule, an Actions variable, a Runner Pilot
runner, and for a secret PUT or an issue label added twice. Each loser now gets what a
request arriving second gets: the same 409/403 (creates) or the replacement (a PUT), and the
winner's row and git directory stay whole.

The race is made deterministic by letting the check miss (monkeypatched) so the insert meets
the row the "other request" wrote; the fuzz run that found these raced real requests
(report of h58)."""

from __future__ import annotations

import base64

import falcon.testing
import peewee
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

ALICE = basic_auth("alice")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """alice owns alice/demo (a README on main, branch topic) and the org acme."""
    tmp_path = tmp_path_factory.mktemp("races")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice", admin=True)
        client = falcon.testing.TestClient(app)
        assert api(client, "POST", "/user/repos", {"name": "demo", "auto_init": True}).status_code == 201
        assert api(client, "POST", "/orgs", {"username": "acme"}).status_code == 201
        assert api(client, "POST", "/repos/alice/demo/issues", {"title": "one"}).status_code == 201
        assert api(client, "POST", "/repos/alice/demo/labels",
                   {"name": "bug", "color": "#ee0701"}).status_code == 201
        try:
            yield client
        finally:
            app.plue.close()


def api(client, method, path, body=None, headers=ALICE):
    return client.simulate_request(method, f"/api/v1{path}", json=body, headers=headers)


def test_a_repository_created_twice_at_once_is_a_409_and_the_first_stays(site, monkeypatch):
    monkeypatch.setattr("plue_git_hosting.repositories._ensure_free", lambda *a, **k: None)
    response = api(site, "POST", "/user/repos", {"name": "demo", "auto_init": True})
    assert response.status_code == 409, response.text
    assert "already exists: alice/demo" in response.json["message"]
    readme = api(site, "GET", "/repos/alice/demo/contents/README.md")
    assert readme.status_code == 200, readme.text  # the winner's git directory was not purged
    assert base64.b64decode(readme.json["content"]).startswith(b"# demo")


def test_a_fork_made_twice_at_once_is_a_409_and_the_first_stays(site, monkeypatch):
    assert api(site, "POST", "/repos/alice/demo/forks", {"organization": "acme"}).status_code == 202
    monkeypatch.setattr("plue_git_hosting.repositories._ensure_free", lambda *a, **k: None)
    response = api(site, "POST", "/repos/alice/demo/forks", {"organization": "acme"})
    assert response.status_code == 409, response.text
    assert api(site, "GET", "/repos/acme/demo/contents/README.md").status_code == 200
    assert api(site, "GET", "/repos/alice/demo").json["forks_count"] == 1


def test_a_branch_protection_created_twice_at_once_is_giteas_403(site, monkeypatch):
    assert api(site, "POST", "/repos/alice/demo/branch_protections",
               {"rule_name": "main"}).status_code == 201
    monkeypatch.setattr("plue_pulls.protection._ensure_rule_free", lambda *a, **k: None)
    response = api(site, "POST", "/repos/alice/demo/branch_protections", {"rule_name": "main"})
    assert response.status_code == 403, response.text
    assert response.json["message"] == "Branch protection already exist"


@pytest.mark.parametrize("scope", ["/repos/alice/demo", "/orgs/acme", "/user"])
def test_a_variable_created_twice_at_once_is_a_409(site, monkeypatch, scope):
    from plue_actions.models import Variable

    path = f"{scope}/actions/variables/TWICE"
    assert api(site, "POST", path, {"value": "one"}).status_code == 201
    monkeypatch.setattr(Variable, "get_or_none", classmethod(lambda cls, *a, **k: None))
    response = api(site, "POST", path, {"value": "two"})
    assert response.status_code == 409, response.text
    assert "TWICE already exists" in response.json["message"]


def test_a_secret_put_twice_at_once_creates_once_and_replaces_once(site, monkeypatch):
    from plue_actions.models import Secret

    path = "/repos/alice/demo/actions/secrets/TWICE"
    assert api(site, "PUT", path, {"data": "one"}).status_code == 201
    original, calls = Secret.get_or_none.__func__, []

    def misses_once(cls, *args, **kwargs):  # the other request's row is not there yet
        calls.append(1)
        return None if len(calls) == 1 else original(cls, *args, **kwargs)

    monkeypatch.setattr(Secret, "get_or_none", classmethod(misses_once))
    response = api(site, "PUT", path, {"data": "two"})
    assert response.status_code == 204, response.text
    assert len(calls) == 2
    assert Secret.select().where(Secret.name == "TWICE").count() == 1


def test_a_label_added_to_an_issue_twice_at_once_is_added_once(site, monkeypatch):
    from plue_issues import labels
    from plue_issues.models import IssueLabel

    assert api(site, "POST", "/repos/alice/demo/issues/1/labels", {"labels": [1]}).status_code == 200
    original, calls = labels._label_ids_of, []

    def misses_once(issue):  # the other request's row is not there yet
        calls.append(1)
        return set() if len(calls) == 1 else original(issue)

    monkeypatch.setattr(labels, "_label_ids_of", misses_once)
    response = api(site, "POST", "/repos/alice/demo/issues/1/labels", {"labels": [1]})
    assert response.status_code == 200, response.text
    assert [label["name"] for label in response.json] == ["bug"]
    assert IssueLabel.select().where(IssueLabel.label == 1).count() == 1


def test_a_pilot_runner_created_twice_at_once_is_a_409(site, monkeypatch):
    account = {"full_name": "Ann", "email": "ann@example.com", "password": "strongpassword"}
    assert site.simulate_post("/auth/register", json=account).status_code in (200, 201)
    token = site.simulate_post("/auth/login", json={
        "email": account["email"], "password": account["password"]}).json["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    org = site.simulate_post("/onboarding", headers=bearer, json={"organization": {
        "name": "Gigatech", "short_name": "GT", "type": "personal"}}).json["organization"]
    runner = {"name": "Runner-01", "docker_image": "plue-busybox:latest", "github_repo": "a/b",
              "github_runner_token": "ghr_1234567890abcdef"}
    path = f"/org/{org['uid']}/runners"
    assert site.simulate_post(path, headers=bearer, json=runner).status_code in (200, 201)
    monkeypatch.setattr("plue_runner_pilot.runner_definitions._ensure_unique_name",
                        lambda *a, **k: None)
    response = site.simulate_post(path, headers=bearer, json=runner)
    assert response.status_code == 409, response.text
    assert "already has a runner named 'Runner-01'" in response.json["error"]


def test_a_write_that_fails_for_another_reason_is_not_retried():
    """``create_or_update`` retries a unique violation once, never hides a second one."""
    from plue_core.constraints import create_or_update

    calls = []

    def always_violates():
        calls.append(1)
        raise peewee.IntegrityError("duplicate key")

    with pytest.raises(peewee.IntegrityError):
        create_or_update(always_violates)
    assert len(calls) == 2


def test_a_fork_deleted_twice_at_once_is_deleted_once_and_counted_once(site):
    """Both deletions had loaded the fork; the second took the parent's fork count down
    again (four at once left it at -3). It is now the 404 of a repository already gone."""
    from plue_core.db import connection
    from plue_core.errors import NotFound
    from plue_git_hosting import repositories
    from plue_git_hosting.models import Repository

    assert api(site, "POST", "/repos/alice/demo/forks", {"organization": "acme",
                                                         "name": "twice"}).status_code == 202
    forks = api(site, "GET", "/repos/alice/demo").json["forks_count"]
    ctx = site.app.plue
    with connection(ctx.db):
        stale = Repository.get(Repository.lower_name == "twice")  # what the other request holds
    assert api(site, "DELETE", "/repos/acme/twice").status_code == 204
    with connection(ctx.db), pytest.raises(NotFound):
        repositories.delete_repository(ctx.services["git_hosting"], stale)
    assert api(site, "GET", "/repos/alice/demo").json["forks_count"] == forks - 1


def test_a_comment_deleted_twice_at_once_is_counted_once(site, monkeypatch):
    """The second deletion, holding the comment it had found, took the issue's comment count
    down again (to -1 with four at once); it is a 404 now."""
    from plue_core.db import connection
    from plue_issues import comments
    from plue_issues.models import Comment

    posted = api(site, "POST", "/repos/alice/demo/issues/1/comments", {"body": "once"})
    before = api(site, "GET", "/repos/alice/demo/issues/1").json["comments"]
    with connection(site.app.plue.db):
        stale = Comment.get_by_id(posted.json["id"])
    assert api(site, "DELETE", f"/repos/alice/demo/issues/comments/{stale.id}").status_code == 204
    monkeypatch.setattr(comments, "find_comment", lambda access, comment_id: stale)
    response = api(site, "DELETE", f"/repos/alice/demo/issues/comments/{stale.id}")
    assert response.status_code == 404, response.text
    assert api(site, "GET", "/repos/alice/demo/issues/1").json["comments"] == before - 1


def test_an_issue_deleted_twice_at_once_is_counted_once(site, monkeypatch):
    """The second deletion took the repository's open issue count down again."""
    number = api(site, "POST", "/repos/alice/demo/issues", {"title": "twice"}).json["number"]
    before = api(site, "GET", "/repos/alice/demo").json["open_issues_count"]
    service = site.app.plue.services["issues"]
    stale = []
    real_get_issue = service.get_issue

    def holding_the_first_answer(access, index):
        stale.append(stale[0] if stale else real_get_issue(access, index))
        return stale[-1]

    monkeypatch.setattr(service, "get_issue", holding_the_first_answer)
    assert api(site, "DELETE", f"/repos/alice/demo/issues/{number}").status_code == 204
    response = api(site, "DELETE", f"/repos/alice/demo/issues/{number}")
    assert response.status_code == 404, response.text
    monkeypatch.undo()
    assert api(site, "GET", "/repos/alice/demo").json["open_issues_count"] == before - 1


def test_an_assignee_added_twice_at_once_is_added_and_recorded_once(site, monkeypatch):
    from plue_issues import assignees
    from plue_issues.models import Comment, IssueAssignee

    number = api(site, "POST", "/repos/alice/demo/issues", {"title": "assign me"}).json["number"]
    path = f"/repos/alice/demo/issues/{number}/assignees"
    assert api(site, "POST", path, {"assignees": ["alice"]}).status_code == 201
    original, calls = assignees.assignees_for_issues, []

    def misses_once(issue_ids):  # the other request's row is not there yet
        calls.append(1)
        return {} if len(calls) == 1 else original(issue_ids)

    monkeypatch.setattr(assignees, "assignees_for_issues", misses_once)
    original_add = assignees.add_assignees

    def inserts_as_if_absent(issue_id, users):
        if len(calls) == 1:  # what the loser saw: nobody assigned yet
            IssueAssignee.insert_many([{"issue": issue_id, "assignee": u.id} for u in users]).execute()
        else:
            original_add(issue_id, users)

    monkeypatch.setattr(assignees, "add_assignees", inserts_as_if_absent)
    response = api(site, "POST", path, {"assignees": ["alice"]})
    assert response.status_code == 201, response.text
    assert [user["login"] for user in response.json["assignees"]] == ["alice"]
    issue_id = response.json["id"]
    assert IssueAssignee.select().where(IssueAssignee.issue == issue_id).count() == 1
    assert Comment.select().where((Comment.issue == issue_id)
                                  & (Comment.assignee_id.is_null(False))).count() == 1
