"""A renamed repository's old name keeps leading to it, as Gitea's ``repo_redirect``: the API
and the web answer 307 to the same request at the new path (Gitea's ``RedirectToRepo``), for
those who may read it; a private one's old name stays a 404 to the others; a repository
taking the old name ends the redirect; deleting the repository removes its redirects. (git
over HTTP and SSH at the old path: tests/e2e/test_repository_redirects_git.py.)"""

from __future__ import annotations

from plue_git_hosting.models import RepositoryRedirect


def _rename(forge, repo: str, name: str, **kwargs) -> dict:
    renamed = forge.patch(f"/repos/{repo}", {"name": name}, **kwargs)
    assert renamed.status_code == 200, renamed.text
    return renamed.json


def test_the_apis_old_path_answers_307_to_the_same_request_at_the_new(forge):
    forge.create_repo("before", auto_init=True)
    _rename(forge, "alice/before", "after")
    moved = forge.get("/repos/alice/before")
    assert moved.status_code == 307
    assert moved.headers["location"] == "/api/v1/repos/alice/after"
    assert set(moved.json) == {"message", "url"} and "alice/after" in moved.json["message"]
    deeper = forge.get("/repos/alice/before/branches/main?limit=1", as_user=None)
    assert deeper.status_code == 307
    assert deeper.headers["location"] == "/api/v1/repos/alice/after/branches/main?limit=1"
    # A write is redirected too (307 keeps the method and body), never applied at the old name.
    write = forge.post("/repos/alice/Before/branches", {"new_branch_name": "topic"})
    assert write.status_code == 307
    assert write.headers["location"] == "/api/v1/repos/alice/after/branches"
    assert forge.get("/repos/alice/after/branches/topic").status_code == 404
    # Renamed twice: both old names lead to it.
    _rename(forge, "alice/after", "third")
    for old in ("before", "after"):
        assert forge.get(f"/repos/alice/{old}").headers["location"] == "/api/v1/repos/alice/third"


def test_the_webs_old_path_answers_307(forge):
    forge.create_repo("page", auto_init=True)
    _rename(forge, "alice/page", "renamed-page")
    moved = forge.client.simulate_get("/alice/page/src/branch/main", headers={"Accept": "text/html"})
    assert moved.status_code == 307
    assert moved.headers["location"] == "/alice/renamed-page/src/branch/main"
    assert forge.client.simulate_get(moved.headers["location"]).status_code == 200


def test_a_private_repositorys_old_name_is_a_404_to_whoever_may_not_read_it(forge):
    forge.create_repo("secret", private=True, auto_init=True)
    _rename(forge, "alice/secret", "hidden")
    assert forge.get("/repos/alice/secret").status_code == 307
    for stranger in (None, "carol"):
        answer = forge.get("/repos/alice/secret", as_user=stranger)
        assert answer.status_code == 404 and "location" not in answer.headers
        assert answer.json["message"] == "repository alice/secret does not exist"
    web = forge.client.simulate_get("/alice/secret", headers={"Accept": "text/html"})
    assert web.status_code == 404


def test_a_repository_taking_the_old_name_ends_the_redirect(forge):
    forge.create_repo("name", auto_init=True)
    _rename(forge, "alice/name", "new-name")
    assert forge.get("/repos/alice/name").status_code == 307
    taken = forge.create_repo("name")
    assert forge.get("/repos/alice/name").json["id"] == taken["id"]
    assert not RepositoryRedirect.select().where(RepositoryRedirect.lower_name == "name").exists()
    # Its deletion does not bring the old redirect back.
    assert forge.delete("/repos/alice/name").status_code == 204
    assert forge.get("/repos/alice/name").status_code == 404
    # Renaming back to an old name ends that name's redirect, and redirects the other.
    _rename(forge, "alice/new-name", "name")
    assert forge.get("/repos/alice/name").status_code == 200
    assert forge.get("/repos/alice/new-name").headers["location"] == "/api/v1/repos/alice/name"


def test_a_fork_taking_the_old_name_ends_the_redirect(forge):
    forge.create_repo("origin", auto_init=True)
    _rename(forge, "alice/origin", "moved", as_user="alice")
    forge.create_repo("upstream", as_user="bob", auto_init=True)
    fork = forge.post("/repos/bob/upstream/forks", {"name": "origin"})
    assert fork.status_code == 202, fork.text
    assert forge.get("/repos/alice/origin").json["id"] == fork.json["id"]


def test_deleting_the_repository_removes_its_redirects(forge):
    repository = forge.create_repo("doomed", auto_init=True)
    _rename(forge, "alice/doomed", "doomed-2")
    _rename(forge, "alice/doomed-2", "doomed-3")
    rows = RepositoryRedirect.select().where(RepositoryRedirect.repository == repository["id"])
    assert rows.count() == 2
    assert forge.delete("/repos/alice/doomed-3").status_code == 204
    assert rows.count() == 0
    assert forge.get("/repos/alice/doomed").status_code == 404


def test_a_failed_rename_records_no_redirect(forge):
    forge.create_repo("first", auto_init=True)
    forge.create_repo("second", auto_init=True)
    refused = forge.patch("/repos/alice/first", {"name": "second"})
    assert refused.status_code == 422, refused.text
    assert RepositoryRedirect.select().count() == 0
