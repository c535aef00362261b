"""The main flow against the real server (gunicorn) with its settings pointing at the local
GitHub API: log in, track, sync, see the commits, delete."""

import requests

from plue_core.testing import DEFAULT_PASSWORD, run_live_server
from plue_tracked_repos.testing import make_commits, tracked_settings


def test_tracking_and_syncing_a_repository_on_the_running_server(tmp_path, plue_database_url,
                                                                   github_api, gitlab_api):
    github_api.add("myorg", "my-repo", commits=make_commits(3))
    settings = tracked_settings(github_api, gitlab_api)
    with run_live_server(tmp_path, plue_database_url, tracked_repos=settings) as server:
        server.plue("admin", "user", "create", "--username", "alice", "--email",
                    "alice@example.com", "--password", DEFAULT_PASSWORD)
        login = requests.post(f"{server.url}/api/auth/login", timeout=10,
                              json={"username": "alice", "password": DEFAULT_PASSWORD})
        assert login.status_code == 200, login.text
        auth = {"Authorization": f"Bearer {login.json()['token']}"}

        added = requests.post(f"{server.url}/api/repos", headers=auth, timeout=10,
                              json={"url": "https://github.com/myorg/my-repo.git"})
        assert added.status_code == 201, added.text
        repo_id = added.json()["id"]
        duplicate = requests.post(f"{server.url}/api/repos", headers=auth, timeout=10,
                                  json={"url": "https://github.com/myorg/my-repo"})
        assert duplicate.status_code == 409
        assert duplicate.json() == {"error": "repository already tracked"}

        synced = requests.post(f"{server.url}/api/github/sync", headers=auth, timeout=30,
                               json={"sync_type": "full", "repositories": ["myorg/my-repo"]})
        assert synced.status_code == 200, synced.text
        assert synced.json()["data"]["summary"]["commits_new"] == 3

        commits = requests.get(f"{server.url}/api/repos/{repo_id}/commits", headers=auth,
                               timeout=10)
        assert [c["sha"] for c in commits.json()] == [c.sha for c in github_api.commits_of("myorg/my-repo")]
        status = requests.get(f"{server.url}/api/github/status", headers=auth, timeout=10).json()
        assert status["data"]["rate_limit"]["used"] == github_api.used

        removed = requests.delete(f"{server.url}/api/repos/{repo_id}", headers=auth, timeout=10)
        assert removed.json() == {"message": "repository removed"}
        gone = requests.get(f"{server.url}/api/repos/{repo_id}/commits", headers=auth, timeout=10)
        assert gone.status_code == 404 and gone.json() == {"error": "repository not found"}


def test_the_servers_scheduler_syncs_a_newly_tracked_repository(tmp_path, plue_database_url,
                                                                 github_api, gitlab_api):
    import time

    github_api.add("myorg", "my-repo", commits=make_commits(2))
    settings = tracked_settings(github_api, gitlab_api, sync_interval=1)
    with run_live_server(tmp_path, plue_database_url, tracked_repos=settings,
                         scheduler={"mode": "serve"}) as server:
        server.plue("admin", "user", "create", "--username", "alice", "--email",
                    "alice@example.com", "--password", DEFAULT_PASSWORD)
        auth = ("alice", DEFAULT_PASSWORD)
        added = requests.post(f"{server.url}/api/repos", auth=auth, timeout=10,
                              json={"url": "https://github.com/myorg/my-repo"})
        assert added.status_code == 201, added.text
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            listed = requests.get(f"{server.url}/api/repos", auth=auth, timeout=10).json()
            if listed[0]["last_synced_at"]:
                break
            time.sleep(0.3)
        assert listed[0]["last_synced_at"], "the scheduler never synced the repository"
        commits = requests.get(f"{server.url}/api/repos/{listed[0]['id']}/commits", auth=auth,
                               timeout=10).json()
        assert len(commits) == 2
