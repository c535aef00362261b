"""Seed 003's /api/repos: shapes, every error row, and one user never seeing another's."""

import re

from plue_core.testing import basic_auth

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_listing_without_tracked_repositories_is_an_empty_array(world):
    response = world.get("/api/repos")
    assert response.status_code == 200
    assert response.json == []


def test_adding_a_github_repository_answers_201_with_the_seed_fields(world):
    response = world.post("/api/repos", {"url": "https://github.com/myorg/my-repo.git"})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"id", "user_id", "name", "owner", "provider", "url", "is_valid",
                         "last_synced_at", "created_at"}
    assert body["name"] == "my-repo" and body["owner"] == "myorg"
    assert body["provider"] == "github"
    assert body["url"] == "https://github.com/myorg/my-repo"
    assert body["is_valid"] is True and body["last_synced_at"] is None
    assert ISO.match(body["created_at"])
    assert isinstance(body["id"], int) and isinstance(body["user_id"], int)
    assert world.get("/api/repos").json == [body]


def test_any_other_host_is_gitlab_including_self_hosted(world):
    body = world.track("https://git.example.org/team/tool")
    assert body["provider"] == "gitlab"
    assert (body["owner"], body["name"]) == ("team", "tool")


def test_a_bad_url_is_400_saying_what_is_wrong(world):
    response = world.post("/api/repos", {"url": "https://github.com/only-owner"})
    assert response.status_code == 400
    assert set(response.json) == {"error"}
    assert "exactly owner/name" in response.json["error"]


def test_a_missing_url_or_a_body_that_is_not_json_is_400(world):
    response = world.post("/api/repos", {})
    assert response.status_code == 400 and "url" in response.json["error"]
    response = world.client.simulate_post("/api/repos", body="{not json",
                                          headers={**basic_auth("alice"),
                                                   "Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON" in response.json["error"]
    response = world.post("/api/repos", ["https://github.com/a/b"])
    assert response.status_code == 400 and "JSON object" in response.json["error"]


def test_tracking_the_same_repository_twice_is_409(world):
    world.track("https://github.com/myorg/my-repo")
    for again in ("https://github.com/myorg/my-repo.git", "https://github.com/MyOrg/My-Repo/"):
        response = world.post("/api/repos", {"url": again})
        assert response.status_code == 409
        assert response.json == {"error": "repository already tracked"}


def test_the_same_owner_and_name_on_another_provider_is_another_repository(world):
    world.track("https://github.com/myorg/my-repo")
    assert world.track("https://gitlab.com/myorg/my-repo")["provider"] == "gitlab"


def test_two_users_may_track_the_same_repository_and_see_only_their_own(world):
    mine = world.track("https://github.com/myorg/my-repo", user="alice")
    theirs = world.track("https://github.com/myorg/my-repo", user="bob")
    assert mine["id"] != theirs["id"] and mine["user_id"] != theirs["user_id"]
    assert [r["id"] for r in world.get("/api/repos", user="alice").json] == [mine["id"]]
    assert [r["id"] for r in world.get("/api/repos", user="bob").json] == [theirs["id"]]


def test_deleting_a_repository_answers_repository_removed(world):
    repo = world.track("https://github.com/myorg/my-repo")
    response = world.delete(f"/api/repos/{repo['id']}")
    assert response.status_code == 200
    assert response.json == {"message": "repository removed"}
    assert world.get("/api/repos").json == []
    assert world.delete(f"/api/repos/{repo['id']}").json == {"error": "repository not found"}


def test_another_users_repository_is_not_found_for_delete_validate_and_commits(world):
    repo = world.track("https://github.com/myorg/my-repo", user="alice")
    for response in (world.delete(f"/api/repos/{repo['id']}", user="bob"),
                     world.post(f"/api/repos/{repo['id']}/validate", user="bob"),
                     world.get(f"/api/repos/{repo['id']}/commits", user="bob")):
        assert response.status_code == 404
        assert response.json == {"error": "repository not found"}
    assert len(world.get("/api/repos", user="alice").json) == 1


def test_unknown_and_non_numeric_ids_are_not_found(world):
    for path in ("/api/repos/999999", "/api/repos/abc"):
        response = world.delete(path)
        assert response.status_code == 404
        assert response.json == {"error": "repository not found"}
    response = world.post("/api/repos/999999/validate")
    assert response.status_code == 404 and response.json == {"error": "repository not found"}


def test_ids_beyond_what_the_database_holds_are_not_found(world):
    for huge in ("99999999999999999999999", str(2 ** 63), "-1", "0"):
        for response in (world.delete(f"/api/repos/{huge}"),
                         world.post(f"/api/repos/{huge}/validate"),
                         world.get(f"/api/repos/{huge}/commits")):
            assert response.status_code == 404, (huge, response.text)
            assert response.json == {"error": "repository not found"}


def test_validate_reports_the_stored_status_and_that_sync_checks_it(world):
    repo = world.track("https://gitlab.com/group/project")
    response = world.post(f"/api/repos/{repo['id']}/validate")
    assert response.status_code == 200
    assert response.json == {"id": repo["id"], "url": "https://gitlab.com/group/project",
                             "provider": "gitlab", "is_valid": True,
                             "message": "validation will be performed during sync"}


def test_every_endpoint_requires_authentication(world):
    repo = world.track("https://github.com/myorg/my-repo")
    for method, path in (("GET", "/api/repos"), ("POST", "/api/repos"),
                         ("DELETE", f"/api/repos/{repo['id']}"),
                         ("POST", f"/api/repos/{repo['id']}/validate"),
                         ("GET", f"/api/repos/{repo['id']}/commits")):
        response = world.client.simulate_request(method, path, json={"url": "https://github.com/a/b"})
        assert response.status_code == 401, (method, path)
        assert "authentication required" in response.json["error"]


def test_a_bearer_jwt_from_the_pilot_login_works(world):
    login = world.client.simulate_post("/auth/login", json={
        "email": "alice@example.com", "password": "correct-horse-battery"})
    assert login.status_code == 200, login.json
    headers = {"Authorization": f"Bearer {login.json['access_token']}"}
    response = world.client.simulate_post("/api/repos", json={"url": "https://github.com/a/b"},
                                          headers=headers)
    assert response.status_code == 201
    assert world.client.simulate_get("/api/repos", headers=headers).json[0]["name"] == "b"


def test_a_read_only_token_may_list_but_not_add(world):
    created = world.client.simulate_post("/api/v1/users/alice/tokens", json={
        "name": "reader", "scopes": ["read:repository"]}, headers=basic_auth("alice"))
    assert created.status_code == 201, created.json
    headers = {"Authorization": f"token {created.json['sha1']}"}
    assert world.client.simulate_get("/api/repos", headers=headers).status_code == 200
    response = world.client.simulate_post("/api/repos", json={"url": "https://github.com/a/b"},
                                          headers=headers)
    assert response.status_code == 403 and "write:repository" in response.json["error"]


def test_concurrent_adds_of_one_repository_in_any_case_track_it_once(world):
    import threading

    urls = ["https://github.com/MyOrg/Repo", "https://github.com/myorg/repo",
            "https://github.com/MYORG/REPO.git", "https://github.com/myOrg/rePo/"] * 2
    barrier = threading.Barrier(len(urls))
    statuses = []

    def add(url):
        barrier.wait()
        statuses.append(world.post("/api/repos", {"url": url}).status_code)

    threads = [threading.Thread(target=add, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * (len(urls) - 1)
    assert len(world.get("/api/repos").json) == 1
