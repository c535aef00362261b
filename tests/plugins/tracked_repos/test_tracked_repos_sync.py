"""Syncing against the local GitHub and GitLab APIs: commits stored, validity recorded, the
scheduled job, deletion taking commits with it."""

import datetime

from plue_core.db import connection, utcnow
from plue_core.scheduler import ScheduledJobRun, run_scheduled_job
from plue_core.testing import basic_auth, make_user
from plue_tracked_repos import repositories, syncing
from plue_tracked_repos.models import TrackedCommit, TrackedRepository
from plue_tracked_repos.testing import GITHUB_TOKEN, make_commits


def _sync(world, repo_id, sync_type="full"):
    with connection(world.ctx.db):
        return syncing.sync_repository(world.service, TrackedRepository.get_by_id(repo_id),
                                       sync_type)


def _stored(world, repo_id):
    with connection(world.ctx.db):
        return TrackedRepository.get_by_id(repo_id), list(
            TrackedCommit.select().where(TrackedCommit.repository == repo_id)
            .order_by(TrackedCommit.date.desc()))


def test_syncing_a_github_repository_stores_its_commits_and_marks_it_synced(world):
    local = world.github.add("myorg", "my-repo", commits=make_commits(5))
    repo = world.track("https://github.com/myorg/my-repo")
    result = _sync(world, repo["id"])
    assert result["status"] == "synced" and result["commits_new"] == 5
    stored, commits = _stored(world, repo["id"])
    assert stored.is_valid and stored.last_synced_at is not None
    assert stored.provider_id == local.id and stored.private is False
    assert [c.sha for c in commits] == [c.sha for c in local.commits]
    assert commits[0].message == local.commits[0].message
    assert commits[0].author == local.commits[0].author
    assert commits[0].date == local.commits[0].date.replace(tzinfo=None)
    # the configured token went to the configured GitHub API, and only there
    assert all(headers.get("Authorization") == f"Bearer {GITHUB_TOKEN}"
               for _, headers in world.github.requests)


def test_the_synced_commits_are_listed_newest_first_with_paging(world):
    world.github.add("myorg", "my-repo", commits=make_commits(5))
    repo = world.track("https://github.com/myorg/my-repo")
    _sync(world, repo["id"])
    listed = world.get(f"/api/repos/{repo['id']}/commits", params={"limit": "2", "page": "2"})
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "5"
    assert [c["message"] for c in listed.json] == ["commit 2 of c", "commit 1 of c"]
    assert set(listed.json[0]) == {"sha", "message", "author", "date"}
    assert listed.json[0]["date"].endswith("Z")
    after = world.get("/api/repos").json[0]
    assert after["last_synced_at"].endswith("Z") and after["is_valid"] is True
    bad = world.get(f"/api/repos/{repo['id']}/commits", params={"limit": "zero"})
    assert bad.status_code == 400 and "limit" in bad.json["error"]


def test_a_repository_the_provider_does_not_know_becomes_invalid(world):
    repo = world.track("https://github.com/myorg/gone")
    result = _sync(world, repo["id"])
    assert result["status"] == "invalid" and result["is_valid"] is False
    stored, commits = _stored(world, repo["id"])
    assert stored.is_valid is False and stored.last_synced_at is not None and commits == []
    assert world.post(f"/api/repos/{repo['id']}/validate").json["is_valid"] is False


def test_a_bad_token_makes_the_repository_invalid(world):
    world.github.add("myorg", "my-repo", commits=make_commits(1))
    world.github.token = "another-token"  # the server no longer accepts ours: 401
    repo = world.track("https://github.com/myorg/my-repo")
    assert _sync(world, repo["id"])["status"] == "invalid"


def test_a_provider_outage_keeps_the_stored_state_and_reports_the_error(world):
    world.github.add("myorg", "my-repo", commits=make_commits(2))
    repo = world.track("https://github.com/myorg/my-repo")
    _sync(world, repo["id"])
    before, _ = _stored(world, repo["id"])
    world.github.fail_with = 503
    result = _sync(world, repo["id"])
    assert result["status"] == "failed" and "HTTP 503" in result["error"]
    after, commits = _stored(world, repo["id"])
    assert after.is_valid is True and after.last_synced_at == before.last_synced_at
    assert len(commits) == 2 and "HTTP 503" in after.last_sync_error


def test_an_unreachable_gitlab_host_is_a_failed_sync_not_an_error(world):
    world.service.clients["gitlab"].api_url = ""  # ask the tracked URL's own host
    repo = world.track("http://127.0.0.1:9/group/project")  # the discard port: refused
    result = _sync(world, repo["id"])
    assert result["status"] == "failed" and "unreachable" in result["error"]


def test_an_empty_github_repository_is_valid_with_no_commits(world):
    world.github.add("myorg", "empty")
    repo = world.track("https://github.com/myorg/empty")
    result = _sync(world, repo["id"])
    assert result["status"] == "synced" and result["commits_new"] == 0


def test_syncing_a_gitlab_project_uses_the_v4_api(world):
    local = world.gitlab.add("group", "project", commits=make_commits(3, prefix="g"),
                             private=True)
    repo = world.track("https://gitlab.example.com/group/project.git")
    result = _sync(world, repo["id"])
    assert result["status"] == "synced" and result["commits_new"] == 3
    stored, commits = _stored(world, repo["id"])
    assert stored.provider_id == local.id and stored.private is True
    assert [c.sha for c in commits] == [c.sha for c in local.commits]
    assert world.gitlab.requests[0][0] == "/api/v4/projects/group%2Fproject"
    missing = world.track("https://gitlab.example.com/group/missing")
    assert _sync(world, missing["id"])["status"] == "invalid"


def test_an_incremental_sync_asks_only_for_newer_commits(world):
    start = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    local = world.github.add("myorg", "my-repo", commits=make_commits(3, start=start))
    repo = world.track("https://github.com/myorg/my-repo")
    _sync(world, repo["id"], "incremental")
    newer = make_commits(2, start=start + datetime.timedelta(days=1), prefix="n")
    local.commits = newer + local.commits
    result = _sync(world, repo["id"], "incremental")
    assert result["commits_new"] == 2 and result["commits_fetched"] == 3  # since is inclusive
    assert "since=2026-02-01T02%3A00%3A00Z" in world.github.requests[-1][0]
    assert len(_stored(world, repo["id"])[1]) == 5


def test_deleting_a_repository_deletes_its_commits(world):
    world.github.add("myorg", "my-repo", commits=make_commits(4))
    repo = world.track("https://github.com/myorg/my-repo")
    _sync(world, repo["id"])
    assert world.delete(f"/api/repos/{repo['id']}").status_code == 200
    with connection(world.ctx.db):
        assert TrackedCommit.select().count() == 0
        assert TrackedRepository.select().count() == 0


def test_the_scheduled_job_syncs_due_repositories_only(world):
    world.github.add("myorg", "fresh", commits=make_commits(1))
    world.github.add("myorg", "stale", commits=make_commits(2))
    fresh = world.track("https://github.com/myorg/fresh")
    stale = world.track("https://github.com/myorg/stale")
    never = world.track("https://github.com/myorg/never-synced")
    with connection(world.ctx.db):
        now = utcnow()
        TrackedRepository.update(last_synced_at=now).where(
            TrackedRepository.id == fresh["id"]).execute()
        TrackedRepository.update(last_synced_at=now - datetime.timedelta(days=1)).where(
            TrackedRepository.id == stale["id"]).execute()
    job = world.ctx.jobs["tracked_repos.sync"]
    assert job.trigger == "interval" and job.trigger_args == {"seconds": 900}
    assert run_scheduled_job(world.ctx, job) is True
    with connection(world.ctx.db):
        assert ScheduledJobRun.get(ScheduledJobRun.job_id == "tracked_repos.sync").succeeded is True
        synced = {r.name: r for r in TrackedRepository.select()}
        assert synced["fresh"].last_synced_at == now  # not due: untouched
        assert synced["stale"].last_synced_at > now
        assert synced["never-synced"].is_valid is False
        assert TrackedCommit.select().where(TrackedCommit.repository == stale["id"]).count() == 2
        assert TrackedCommit.select().where(TrackedCommit.repository == fresh["id"]).count() == 0
        assert TrackedRepository.get_by_id(never["id"]).last_synced_at is not None


def test_a_sync_of_a_repository_deleted_meanwhile_writes_nothing(world):
    world.github.add("myorg", "my-repo", commits=make_commits(2))
    repo = world.track("https://github.com/myorg/my-repo")
    with connection(world.ctx.db):
        row = TrackedRepository.get_by_id(repo["id"])
        repositories.delete_repository(row.user_id, row.id)
        result = syncing.sync_repository(world.service, row)
        assert result["status"] == "deleted"
        assert TrackedCommit.select().count() == 0


def test_deleting_a_user_forgets_their_tracked_repositories(world):
    world.github.add("myorg", "my-repo", commits=make_commits(2))
    repo = world.track("https://github.com/myorg/my-repo", user="bob")
    _sync(world, repo["id"])
    make_user(world.ctx, "root", admin=True)
    response = world.client.simulate_delete("/api/v1/admin/users/bob", headers=basic_auth("root"))
    assert response.status_code == 204, response.json
    with connection(world.ctx.db):
        assert TrackedRepository.select().count() == 0 and TrackedCommit.select().count() == 0


def test_provider_tokens_are_redacted_from_the_shown_config(world):
    shown = world.ctx.config.as_dict()["tracked_repos"]
    assert shown["github_token"] == "***"
    assert GITHUB_TOKEN not in str(world.ctx.config.as_dict())


def test_a_provider_url_that_is_not_http_is_a_startup_error(tmp_path):
    import pytest

    from plue_core import create_app
    from plue_core.errors import StartupError
    from plue_core.testing import make_test_config

    config = make_test_config(tmp_path, f"sqlite:///{tmp_path}/p.db",
                              tracked_repos={"github_api_url": "api.github.com"})
    with pytest.raises(StartupError, match="tracked_repos.github_api_url"):
        create_app(config)
