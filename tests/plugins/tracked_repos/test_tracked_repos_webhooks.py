"""Push webhooks sync tracked repositories: GitHub's documented push example, signed and sent
to RunnerHub's POST /api/github/webhook, and GitLab's documented push example sent to
POST /api/repos/{id}/webhook with the repository's X-Gitlab-Token, both mark the repository;
the tracked_repos.sync_pushed job then syncs it from the local GitHub/GitLab API servers.
GitLab tokens are set by the repository's owner, stored sealed and compared in constant time."""

import json
import pathlib

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.db import connection
from plue_core.scheduler import run_scheduled_job
from plue_core.testing import basic_auth, make_test_config, make_user, migrate
from plue_runnerhub.testing import github_delivery
from plue_tracked_repos.models import TrackedCommit, TrackedRepository
from plue_tracked_repos.testing import make_commits, tracked_settings

SECRET = "It's a Secret to Everybody"
TOKEN = "gitlab-secret-token-42"
HERE = pathlib.Path(__file__).parent
GITHUB_PUSH = json.loads(
    (HERE.parent / "runnerhub" / "github_documented_examples" / "push.json").read_text())
GITLAB_PUSH = json.loads((HERE / "gitlab_documented_examples" / "push_hook.json").read_text())


class Hooked:
    def __init__(self, app, github, gitlab):
        self.ctx, self.client = app.plue, falcon.testing.TestClient(app)
        self.github, self.gitlab = github, gitlab

    def call(self, method, path, body=None, user="alice", **headers):
        auth = basic_auth(user) if user else {}
        return self.client.simulate_request(method, path, json=body, headers={**auth, **headers})

    def track(self, url, user="alice") -> dict:
        response = self.call("POST", "/api/repos", {"url": url}, user)
        assert response.status_code == 201, response.text
        return response.json

    def github_push(self, payload=GITHUB_PUSH):
        body, headers = github_delivery(SECRET, "push", payload)
        return self.client.simulate_post("/api/github/webhook", body=body, headers=headers)

    def gitlab_push(self, repo_id, token=TOKEN, event="Push Hook", payload=GITLAB_PUSH):
        headers = {"X-Gitlab-Event": event, "Content-Type": "application/json"}
        if token is not None:
            headers["X-Gitlab-Token"] = token
        return self.client.simulate_post(f"/api/repos/{repo_id}/webhook", headers=headers,
                                         body=json.dumps(payload))

    def requested(self, repo_id):
        with connection(self.ctx.db):
            return TrackedRepository.get_by_id(repo_id).sync_requested_at

    def commits(self, repo_id) -> int:
        with connection(self.ctx.db):
            return TrackedCommit.select().where(TrackedCommit.repository == repo_id).count()

    def run_pushed_syncs(self):
        assert run_scheduled_job(self.ctx, self.ctx.jobs["tracked_repos.sync_pushed"]) is True


@pytest.fixture
def hooked(tmp_path, plue_database_url, github_api, gitlab_api):
    config = make_test_config(tmp_path, plue_database_url,
                              tracked_repos=tracked_settings(github_api, gitlab_api),
                              runnerhub={"github_webhook_secret": SECRET})
    app = create_app(config)
    migrate(app)
    make_user(app.plue, "alice")
    make_user(app.plue, "bob")
    yield Hooked(app, github_api, gitlab_api)
    app.plue.close()


def test_a_github_push_syncs_every_tracked_copy_of_the_repository(hooked):
    hooked.github.add("Codertocat", "Hello-World", commits=make_commits(3))
    mine = hooked.track("https://github.com/codertocat/hello-world")
    bobs = hooked.track("https://github.com/Codertocat/Hello-World", user="bob")
    other = hooked.track("https://github.com/Codertocat/Other")
    same_name_on_gitlab = hooked.track("https://gitlab.com/Codertocat/Hello-World")
    accepted = hooked.github_push()
    assert accepted.status_code == 200, accepted.text
    assert accepted.json["data"]["event"] == "push"
    assert hooked.requested(mine["id"]) and hooked.requested(bobs["id"])
    assert hooked.requested(other["id"]) is None
    assert hooked.requested(same_name_on_gitlab["id"]) is None

    hooked.run_pushed_syncs()
    assert hooked.commits(mine["id"]) == 3 and hooked.commits(bobs["id"]) == 3
    assert hooked.requested(mine["id"]) is None and hooked.commits(other["id"]) == 0
    assert any(path.startswith("/repos/codertocat/hello-world/commits")
               or path.startswith("/repos/Codertocat/Hello-World/commits")
               for path, _ in hooked.github.requests)
    listed = hooked.call("GET", "/api/repos").json
    assert {r["id"]: r["last_synced_at"] is not None for r in listed}[mine["id"]] is True


def test_the_github_views_say_a_webhook_is_configured_once_a_push_arrived(hooked):
    hooked.github.add("Codertocat", "Hello-World", commits=make_commits(1))
    pushed = hooked.track("https://github.com/Codertocat/Hello-World")
    quiet = hooked.track("https://github.com/Codertocat/Quiet")

    def views():
        status = hooked.call("GET", "/api/github/status").json["data"]
        repositories = hooked.call("GET", "/api/github/repositories").json["data"]
        return status["webhook_status"], {
            r["id"]: r["webhook_configured"] for r in repositories["repositories"]}, \
            repositories["summary"]["webhooks_configured"]

    assert views() == ("not_configured", {pushed["id"]: False, quiet["id"]: False}, 0)
    hooked.github_push()
    assert views() == ("active", {pushed["id"]: True, quiet["id"]: False}, 1)
    # bob tracks nothing that was pushed: his view is unchanged
    assert hooked.call("GET", "/api/github/status", user="bob").json["data"][
        "webhook_status"] == "not_configured"


def test_a_push_arriving_during_a_sync_asks_for_another(hooked):
    hooked.github.add("Codertocat", "Hello-World", commits=make_commits(1))
    repo = hooked.track("https://github.com/Codertocat/Hello-World")
    hooked.github_push()
    hooked.run_pushed_syncs()
    assert hooked.commits(repo["id"]) == 1
    hooked.github.repositories["codertocat/hello-world"].commits = make_commits(2, prefix="n") \
        + hooked.github.commits_of("Codertocat/Hello-World")
    hooked.github_push()
    requested = hooked.requested(repo["id"])
    assert requested is not None
    hooked.github_push()  # a second push before the pass keeps the first mark
    assert hooked.requested(repo["id"]) == requested
    hooked.run_pushed_syncs()
    assert hooked.commits(repo["id"]) == 3


def test_a_push_of_a_repository_nobody_tracks_is_accepted_and_syncs_nothing(hooked):
    assert hooked.github_push().status_code == 200
    hooked.run_pushed_syncs()
    assert hooked.github.requests == []


def test_a_refused_github_push_asks_for_nothing(hooked):
    repo = hooked.track("https://github.com/Codertocat/Hello-World")
    body, headers = github_delivery("wrong secret", "push", GITHUB_PUSH)
    refused = hooked.client.simulate_post("/api/github/webhook", body=body, headers=headers)
    assert refused.status_code == 401 and refused.json["success"] is False
    assert hooked.requested(repo["id"]) is None


def _gitlab_repository(hooked, user="alice") -> dict:
    hooked.gitlab.add("mike", "diaspora", commits=make_commits(4, prefix="g"))
    repo = hooked.track("https://gitlab.example.com/mike/diaspora", user=user)
    answer = hooked.call("PUT", f"/api/repos/{repo['id']}/webhook", {"token": TOKEN}, user)
    assert answer.status_code == 200, answer.text
    return repo


def test_a_gitlab_push_with_the_repositorys_token_syncs_it(hooked):
    repo = _gitlab_repository(hooked)
    accepted = hooked.gitlab_push(repo["id"])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json == {"id": repo["id"], "event": "Push Hook", "sync_requested": True}
    assert hooked.requested(repo["id"]) is not None
    hooked.run_pushed_syncs()
    assert hooked.commits(repo["id"]) == 4 and hooked.requested(repo["id"]) is None


def test_the_owner_sees_where_gitlab_sends_pushes_and_never_the_token(hooked):
    repo = _gitlab_repository(hooked)
    shown = hooked.call("GET", f"/api/repos/{repo['id']}/webhook")
    assert shown.status_code == 200
    assert shown.json == {"id": repo["id"], "provider": "gitlab",
                          "url": f"{hooked.ctx.config.base_url.rstrip('/')}/api/repos/"
                                 f"{repo['id']}/webhook",
                          "token_configured": True, "sync_requested_at": None}
    assert TOKEN not in shown.text
    with connection(hooked.ctx.db):  # sealed at rest
        assert TOKEN not in TrackedRepository.get_by_id(repo["id"]).webhook_token
    # another user's repository is as absent as a missing one
    assert hooked.call("GET", f"/api/repos/{repo['id']}/webhook", user="bob").status_code == 404
    assert hooked.call("PUT", f"/api/repos/{repo['id']}/webhook", {"token": "bobs-token-1"},
                       user="bob").json == {"error": "repository not found"}
    assert hooked.call("GET", f"/api/repos/{repo['id']}/webhook", user=None).status_code == 401


def test_removing_the_token_refuses_gitlabs_deliveries(hooked):
    repo = _gitlab_repository(hooked)
    removed = hooked.call("DELETE", f"/api/repos/{repo['id']}/webhook")
    assert removed.status_code == 200 and removed.json["token_configured"] is False
    assert hooked.gitlab_push(repo["id"]).status_code == 401
    assert hooked.requested(repo["id"]) is None


@pytest.mark.parametrize("token", [None, "", "gitlab-secret-token-43", TOKEN.upper(), "x"])
def test_a_missing_or_wrong_gitlab_token_is_401_and_asks_for_nothing(hooked, token):
    repo = _gitlab_repository(hooked)
    refused = hooked.gitlab_push(repo["id"], token=token)
    assert refused.status_code == 401
    assert refused.json == {"error": "X-Gitlab-Token does not match this repository's "
                                     "webhook token"}
    assert hooked.requested(repo["id"]) is None


def test_unknown_ids_and_repositories_without_a_token_look_the_same(hooked):
    repo = _gitlab_repository(hooked)
    untokened = hooked.track("https://gitlab.example.com/mike/other")
    github = hooked.track("https://github.com/Codertocat/Hello-World")
    for repo_id in (untokened["id"], github["id"], 999999, "abc", "1" * 30):
        refused = hooked.gitlab_push(repo_id)
        assert refused.status_code == 401, (repo_id, refused.text)
    assert hooked.gitlab_push(repo["id"]).status_code == 200


def test_a_gitlab_event_other_than_push_is_a_400(hooked):
    repo = _gitlab_repository(hooked)
    refused = hooked.gitlab_push(repo["id"], event="Issue Hook")
    assert refused.status_code == 400 and "Push Hook" in refused.json["error"]
    assert hooked.requested(repo["id"]) is None


def test_a_push_of_another_project_or_not_a_push_payload_is_a_400(hooked):
    repo = _gitlab_repository(hooked)
    other = {**GITLAB_PUSH, "project": {**GITLAB_PUSH["project"],
                                        "path_with_namespace": "mike/other"}}
    refused = hooked.gitlab_push(repo["id"], payload=other)
    assert refused.status_code == 400
    assert refused.json["error"] == ("the push is for mike/other, but this webhook belongs to "
                                     "mike/diaspora")
    assert hooked.gitlab_push(repo["id"], payload=[1]).status_code == 400
    broken = hooked.client.simulate_post(f"/api/repos/{repo['id']}/webhook", body=b"{nope",
                                         headers={"X-Gitlab-Token": TOKEN,
                                                  "X-Gitlab-Event": "Push Hook"})
    assert broken.status_code == 400 and "JSON" in broken.json["error"]
    assert hooked.requested(repo["id"]) is None


@pytest.mark.parametrize("body", [{}, {"token": "short"}, {"token": 12345678},
                                  {"token": "x" * 256}, {"token": "tab\tinside"}])
def test_a_bad_token_is_a_400(hooked, body):
    hooked.gitlab.add("mike", "diaspora")
    repo = hooked.track("https://gitlab.example.com/mike/diaspora")
    refused = hooked.call("PUT", f"/api/repos/{repo['id']}/webhook", body)
    assert refused.status_code == 400 and refused.json["error"]


def test_a_github_repository_takes_no_gitlab_token(hooked):
    repo = hooked.track("https://github.com/Codertocat/Hello-World")
    refused = hooked.call("PUT", f"/api/repos/{repo['id']}/webhook", {"token": TOKEN})
    assert refused.status_code == 400 and "/api/github/webhook" in refused.json["error"]
