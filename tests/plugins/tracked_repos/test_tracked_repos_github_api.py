"""RunnerHub's /api/github/status, /repositories and /sync, filled from real syncs."""

from plue_tracked_repos.testing import make_commits


def test_status_before_any_call_says_unknown_and_has_no_rate_limit(world):
    response = world.get("/api/github/status")
    assert response.status_code == 200
    data = response.json["data"]
    assert response.json["success"] is True
    assert data["api_status"] == "unknown" and data["rate_limit"] is None
    assert data["webhook_status"] == "not_configured"
    assert data["last_sync"] is None and data["repositories_tracked"] == 0
    assert {"organization", "runners_registered"} <= set(data)


def test_status_shows_the_rate_limit_headers_of_the_last_github_answer(world):
    world.github.add("myorg", "my-repo", commits=make_commits(1))
    world.track("https://github.com/myorg/my-repo")
    world.track("https://gitlab.com/group/project")  # not a GitHub repository
    assert world.post("/api/github/sync", {"sync_type": "full"}).status_code == 200
    data = world.get("/api/github/status").json["data"]
    assert data["api_status"] == "operational"
    assert data["rate_limit"]["limit"] == 60
    assert data["rate_limit"]["used"] == world.github.used
    assert data["rate_limit"]["remaining"] == 60 - world.github.used
    assert data["rate_limit"]["reset"].endswith("Z")
    assert data["repositories_tracked"] == 1 and data["last_sync"].endswith("Z")
    assert "ghp_" not in str(data)  # the token never shows


def test_status_reports_a_rate_limited_api(world):
    world.github.add("myorg", "my-repo")
    world.github.used = world.github.RATE_LIMIT  # the next call is over the limit
    repo = world.track("https://github.com/myorg/my-repo")
    result = world.post("/api/github/sync", {}).json["data"]
    assert result["repositories"][0]["status"] == "failed"
    assert world.get("/api/github/status").json["data"]["api_status"] == "rate_limited"
    assert world.post(f"/api/repos/{repo['id']}/validate").json["is_valid"] is True


def test_repositories_lists_the_callers_github_repositories_in_the_seed_shape(world):
    local = world.github.add("myorg", "my-repo", commits=make_commits(3))
    mine = world.track("https://github.com/myorg/my-repo")
    world.track("https://github.com/myorg/missing")
    world.track("https://github.com/other/thing", user="bob")
    world.post("/api/github/sync", {"sync_type": "full"})
    response = world.get("/api/github/repositories")
    assert response.status_code == 200 and response.json["success"] is True
    data = response.json["data"]
    assert data["summary"] == {"total_repositories": 2, "active_repositories": 1,
                               "webhooks_configured": 0}
    first = data["repositories"][0]
    assert first == {
        "id": mine["id"], "github_id": local.id, "name": "my-repo", "full_name": "myorg/my-repo",
        "private": False, "active": True, "webhook_configured": False,
        "last_activity": local.commits[0].date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "job_count": {"total": 0, "this_month": 0, "running": 0}}
    second = data["repositories"][1]
    assert second["active"] is False and second["last_activity"] is None


def test_sync_of_listed_repositories_answers_what_was_synced(world):
    world.github.add("myorg", "one", commits=make_commits(2))
    world.github.add("myorg", "two", commits=make_commits(4))
    world.track("https://github.com/myorg/one")
    world.track("https://github.com/myorg/two")
    response = world.post("/api/github/sync", {"sync_type": "full", "repositories": ["MyOrg/Two"]})
    assert response.status_code == 200
    data = response.json["data"]
    assert data["sync_type"] == "full"
    assert [r["repository"] for r in data["repositories"]] == ["myorg/two"]
    assert data["repositories"][0]["commits_new"] == 4
    assert data["summary"] == {"requested": 1, "synced": 1, "invalid": 0, "failed": 0,
                               "commits_new": 4}
    assert data["started_at"].endswith("Z") and data["finished_at"].endswith("Z")


def test_syncing_names_you_do_not_track_is_404_naming_them(world):
    world.track("https://github.com/myorg/one")
    world.track("https://github.com/other/secret", user="bob")
    response = world.post("/api/github/sync", {"repositories": ["myorg/one", "other/secret",
                                                                "nobody/x"]})
    assert response.status_code == 404
    error = response.json["error"]
    assert response.json["success"] is False
    assert "other/secret" in error["message"] and "nobody/x" in error["message"]
    assert "myorg/one" not in error["message"]
    assert error["details"] == {"unknown_repositories": ["other/secret", "nobody/x"]}
    assert world.github.requests == []  # nothing was synced


def test_a_bad_sync_type_is_refused_in_the_envelope(world):
    response = world.post("/api/github/sync", {"sync_type": "everything"})
    assert response.status_code == 400 and response.json["error"]["code"] == "VALIDATION_ERROR"
    assert response.json["success"] is False
    assert "sync_type" in response.json["error"]["message"]
    assert response.json["error"]["request_id"]


def test_the_github_endpoints_require_authentication(world):
    for method, path in (("GET", "/api/github/status"), ("GET", "/api/github/repositories"),
                         ("POST", "/api/github/sync")):
        response = world.client.simulate_request(method, path, json={})
        assert response.status_code == 401
        assert response.json["success"] is False
        assert response.json["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_a_hub_jwt_works_on_the_github_endpoints(world):
    login = world.client.simulate_post("/api/auth/login", json={
        "username": "alice", "password": "correct-horse-battery"})
    headers = {"Authorization": f"Bearer {login.json['token']}"}
    response = world.client.simulate_get("/api/github/repositories", headers=headers)
    assert response.status_code == 200 and response.json["data"]["repositories"] == []


def test_a_sync_beyond_the_batch_size_syncs_the_oldest_and_defers_the_rest(world):
    world.service.settings["sync_batch_size"] = 2
    for name in ("a", "b", "c"):
        world.github.add("myorg", name, commits=make_commits(1, prefix=name))
        world.track(f"https://github.com/myorg/{name}")
    first = world.post("/api/github/sync", {"sync_type": "full"}).json["data"]
    assert [r["repository"] for r in first["repositories"]] == ["myorg/a", "myorg/b"]
    assert first["deferred"] == ["myorg/c"]
    second = world.post("/api/github/sync", {"sync_type": "full"}).json["data"]
    assert [r["repository"] for r in second["repositories"]] == ["myorg/c", "myorg/a"]
    assert second["deferred"] == ["myorg/b"]
