"""Repositories through Gitea's API: create, read, edit, rename, archive, delete, list, search."""

from __future__ import annotations

import pytest
from dulwich.repo import Repo

# Every property of Gitea's ``Repository`` definition (gitea-swagger-v1.json, 1.27-dev); those
# Gitea tags ``omitempty`` are absent when empty (a new repository has no parent, no external
# tracker or wiki and no pending transfer).
GITEA_OMITTED_WHEN_EMPTY = {"parent", "external_tracker", "external_wiki", "repo_transfer"}
GITEA_REPOSITORY_FIELDS = {
    "allow_fast_forward_only_merge", "allow_manual_merge", "allow_merge_commits",
    "allow_merge_update", "allow_rebase", "allow_rebase_explicit", "allow_rebase_update",
    "allow_squash_merge", "archived", "archived_at", "autodetect_manual_merge", "avatar_url",
    "branch_count", "clone_url", "created_at", "default_allow_maintainer_edit", "default_branch",
    "default_delete_branch_after_merge", "default_merge_style", "default_target_branch",
    "default_update_style", "description", "empty", "external_tracker", "external_wiki", "fork",
    "forks_count", "full_name", "has_actions", "has_code", "has_issues", "has_packages",
    "has_projects", "has_pull_requests", "has_releases", "has_wiki", "html_url", "id",
    "ignore_whitespace_conflicts", "internal", "internal_tracker", "language", "languages_url",
    "licenses", "link", "mirror", "mirror_interval", "mirror_last_sync_at", "mirror_updated",
    "name", "object_format_name", "open_issues_count", "open_pr_counter", "original_url",
    "owner", "parent", "permissions", "private", "projects_mode", "release_counter",
    "repo_transfer", "size", "ssh_url", "stars_count", "template", "topics", "updated_at", "url",
    "watchers_count", "website",
}


def repo_dir(forge, owner: str, name: str):
    return forge.ctx.services["git_hosting"].storage.path(owner, name)


def test_a_created_repository_carries_every_field_of_giteas_repository_with_its_type(forge):
    repo = forge.create_repo("demo", description="A demo")
    assert set(repo) == GITEA_REPOSITORY_FIELDS - GITEA_OMITTED_WHEN_EMPTY
    assert None not in repo.values()
    assert repo["full_name"] == "alice/demo"
    assert repo["owner"]["login"] == "alice"
    assert repo["empty"] is True and repo["private"] is False and repo["fork"] is False
    assert repo["permissions"] == {"admin": True, "push": True, "pull": True}
    assert repo["clone_url"] == "http://127.0.0.1:8000/alice/demo.git"
    assert repo["html_url"] == "http://127.0.0.1:8000/alice/demo"
    assert repo["url"] == "http://127.0.0.1:8000/api/v1/repos/alice/demo"
    assert repo["default_branch"] == "main"
    for field in ("id", "size", "stars_count", "forks_count", "branch_count", "open_issues_count"):
        assert isinstance(repo[field], int) and not isinstance(repo[field], bool), field
    assert repo["created_at"].endswith("Z") and repo["mirror_updated"] == "0001-01-01T00:00:00Z"
    assert isinstance(repo["topics"], list) and isinstance(repo["licenses"], list)


def test_a_new_repository_is_a_bare_git_repository_on_disk(forge):
    forge.create_repo("demo")
    path = repo_dir(forge, "alice", "demo")
    assert path.name == "demo.git" and path.parent.name == "alice"
    with Repo(str(path)) as git_repo:
        assert git_repo.bare
        assert git_repo.refs.get_symrefs()[b"HEAD"] == b"refs/heads/main"


def test_auto_init_commits_a_readme_on_the_requested_default_branch(forge):
    repo = forge.create_repo("demo", auto_init=True, default_branch="trunk", description="Hi")
    assert repo["empty"] is False and repo["default_branch"] == "trunk"
    assert repo["branch_count"] == 1
    readme = forge.get("/repos/alice/demo/contents/README.md").json
    assert readme["type"] == "file"
    import base64
    assert base64.b64decode(readme["content"]) == b"# demo\n\nHi\n"
    commits = forge.get("/repos/alice/demo/commits").json
    assert [c["commit"]["message"] for c in commits] == ["Initial commit\n"]


def test_creating_a_repository_whose_name_is_taken_is_a_conflict(forge):
    forge.create_repo("demo")
    response = forge.post("/user/repos", {"name": "DEMO"})
    assert response.status_code == 409
    assert "already exists" in response.json["message"]


@pytest.mark.parametrize("name", ["", "has space", ".", "..", "x.git", "x.wiki", "a/b", "ü", "x" * 101])
def test_invalid_repository_names_are_refused_naming_the_field(forge, name):
    response = forge.post("/user/repos", {"name": name})
    assert response.status_code == 422
    assert "name" in response.json["message"]


def test_unsupported_templates_are_refused_rather_than_ignored(forge):
    assert forge.post("/user/repos", {"name": "x", "license": "MIT"}).status_code == 422
    assert forge.post("/user/repos", {"name": "x", "readme": "Fancy", "auto_init": True}).status_code == 422
    assert forge.post("/user/repos", {"name": "x", "object_format_name": "sha256"}).status_code == 422


def test_creating_a_repository_needs_authentication(forge):
    response = forge.post("/user/repos", {"name": "demo"}, as_user=None)
    assert response.status_code == 401
    assert response.json["message"]


def test_a_private_repository_is_not_found_for_anonymous_and_other_users(forge):
    forge.create_repo("secret", private=True)
    assert forge.get("/repos/alice/secret").status_code == 200
    assert forge.get("/repos/alice/secret", as_user="root").status_code == 200
    for outsider in (None, "carol", "bob"):
        response = forge.get("/repos/alice/secret", as_user=outsider)
        assert response.status_code == 404, outsider
    assert forge.get("/repos/alice/secret/branches", as_user="carol").status_code == 404


def test_a_public_repository_is_readable_but_not_writable_by_others(forge):
    forge.create_repo("demo")
    repo = forge.get("/repos/alice/demo", as_user="carol").json
    assert repo["permissions"] == {"admin": False, "push": False, "pull": True}
    assert forge.get("/repos/alice/demo", as_user=None).json["permissions"]["pull"] is True
    assert forge.patch("/repos/alice/demo", {"description": "x"}, as_user="carol").status_code == 403


def test_organization_members_create_and_write_organization_repositories(forge):
    repo = forge.create_repo("api", as_user="bob", org="acme")
    assert repo["owner"]["login"] == "acme"
    assert repo["permissions"] == {"admin": False, "push": True, "pull": True}
    assert forge.get("/repos/acme/api", as_user="alice").json["permissions"]["admin"] is True
    response = forge.post("/orgs/acme/repos", {"name": "other"}, as_user="carol")
    assert response.status_code == 403
    assert forge.post("/orgs/nope/repos", {"name": "x"}).status_code == 404


def test_editing_changes_only_what_is_sent(forge):
    forge.create_repo("demo", description="before")
    response = forge.patch("/repos/alice/demo", {"website": "https://example.com", "has_issues": False,
                                                 "default_merge_style": "squash"})
    assert response.status_code == 200
    repo = response.json
    assert repo["description"] == "before" and repo["website"] == "https://example.com"
    assert repo["has_issues"] is False and "internal_tracker" not in repo
    assert repo["default_merge_style"] == "squash"
    assert forge.patch("/repos/alice/demo", {"default_merge_style": "yolo"}).status_code == 422


def test_making_a_repository_private_hides_it(forge):
    forge.create_repo("demo")
    assert forge.patch("/repos/alice/demo", {"private": True}).json["private"] is True
    assert forge.get("/repos/alice/demo", as_user="carol").status_code == 404


def test_renaming_moves_the_git_directory_and_frees_the_old_name(forge):
    forge.create_repo("old", auto_init=True)
    response = forge.patch("/repos/alice/old", {"name": "new"})
    assert response.status_code == 200 and response.json["full_name"] == "alice/new"
    assert not repo_dir(forge, "alice", "old").exists()
    assert repo_dir(forge, "alice", "new").exists()
    # The old name redirects (test_repository_redirects.py) until a repository takes it.
    assert forge.get("/repos/alice/old").status_code == 307
    assert forge.create_repo("old")["full_name"] == "alice/old"
    assert forge.get("/repos/alice/new/contents/README.md").status_code == 200


def test_renaming_onto_an_existing_repository_is_refused_and_changes_nothing(forge):
    forge.create_repo("one")
    forge.create_repo("two")
    response = forge.patch("/repos/alice/one", {"name": "two", "description": "changed"})
    assert response.status_code == 422
    assert forge.get("/repos/alice/one").json["description"] == ""
    assert repo_dir(forge, "alice", "one").exists()


def test_setting_a_default_branch_that_does_not_exist_is_not_found(forge):
    forge.create_repo("demo", auto_init=True)
    assert forge.patch("/repos/alice/demo", {"default_branch": "nope"}).status_code == 404
    forge.post("/repos/alice/demo/branches", {"new_branch_name": "dev"})
    assert forge.patch("/repos/alice/demo", {"default_branch": "dev"}).json["default_branch"] == "dev"
    with Repo(str(repo_dir(forge, "alice", "demo"))) as git_repo:
        assert git_repo.refs.get_symrefs()[b"HEAD"] == b"refs/heads/dev"


def test_an_archived_repository_refuses_writes_with_423_until_unarchived(forge):
    forge.create_repo("demo", auto_init=True)
    repo = forge.patch("/repos/alice/demo", {"archived": True}).json
    assert repo["archived"] is True and repo["archived_at"] != "1970-01-01T00:00:00Z"
    response = forge.post("/repos/alice/demo/branches", {"new_branch_name": "x"})
    assert response.status_code == 423
    assert forge.patch("/repos/alice/demo", {"archived": False}).json["archived"] is False
    assert forge.post("/repos/alice/demo/branches", {"new_branch_name": "x"}).status_code == 201


def test_deleting_a_repository_removes_the_row_and_the_directory(forge):
    forge.create_repo("demo", auto_init=True)
    assert forge.delete("/repos/alice/demo", as_user="carol").status_code == 403
    response = forge.delete("/repos/alice/demo")
    assert response.status_code == 204 and response.text == ""
    assert forge.get("/repos/alice/demo").status_code == 404
    assert not repo_dir(forge, "alice", "demo").exists()
    forge.create_repo("demo")  # the name is free again


def test_a_repository_is_found_by_id_only_by_those_who_may_see_it(forge):
    public = forge.create_repo("demo")
    secret = forge.create_repo("secret", private=True)
    assert forge.get(f"/repositories/{public['id']}", as_user=None).json["name"] == "demo"
    assert forge.get(f"/repositories/{secret['id']}", as_user="carol").status_code == 404
    assert forge.get(f"/repositories/{secret['id']}").status_code == 200
    assert forge.get("/repositories/999999").status_code == 404


def test_the_current_users_list_holds_own_org_and_collaboration_repositories(forge):
    forge.create_repo("mine", as_user="bob", private=True)
    forge.create_repo("api", as_user="alice", org="acme", private=True)
    forge.create_repo("shared", as_user="carol", private=True)
    forge.create_repo("elsewhere", as_user="carol")
    assert forge.put("/repos/carol/shared/collaborators/bob", {"permission": "read"},
                     as_user="carol").status_code == 204
    response = forge.get("/user/repos", as_user="bob")
    assert response.status_code == 200
    assert sorted(r["full_name"] for r in response.json) == ["acme/api", "bob/mine", "carol/shared"]
    assert response.headers["X-Total-Count"] == "3"


def test_a_users_repository_list_shows_others_only_what_they_may_see(forge):
    forge.create_repo("open")
    forge.create_repo("closed", private=True)
    assert [r["name"] for r in forge.get("/users/alice/repos", as_user="carol").json] == ["open"]
    assert [r["name"] for r in forge.get("/users/alice/repos", as_user=None).json] == ["open"]
    assert len(forge.get("/users/alice/repos", as_user="alice").json) == 2
    assert forge.get("/users/nobody/repos").status_code == 404


def test_organization_repository_lists_are_paginated_with_headers(forge):
    for index in range(3):
        forge.create_repo(f"r{index}", org="acme")
    response = forge.get("/orgs/acme/repos", params={"limit": 2, "page": 1}, as_user=None)
    assert [r["name"] for r in response.json] == ["r0", "r1"]
    assert response.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in response.headers["Link"]
    assert [r["name"] for r in forge.get("/orgs/acme/repos", params={"limit": 2, "page": 2}).json] == ["r2"]


def test_search_matches_names_filters_and_sorts(forge):
    forge.create_repo("alpha-tool", description="useful")
    forge.create_repo("beta")
    forge.create_repo("alpha-secret", private=True)
    response = forge.get("/repos/search", params={"q": "alpha"}, as_user="carol")
    assert response.status_code == 200 and response.json["ok"] is True
    assert [r["name"] for r in response.json["data"]] == ["alpha-tool"]
    mine = forge.get("/repos/search", params={"q": "ALPHA", "sort": "alpha", "order": "desc"}).json["data"]
    assert [r["name"] for r in mine] == ["alpha-tool", "alpha-secret"]
    assert [r["name"] for r in forge.get("/repos/search", params={"q": "useful", "includeDesc": "true"}).json["data"]] == ["alpha-tool"]
    assert forge.get("/repos/search", params={"private": "false"}).headers["X-Total-Count"] == "2"
    assert forge.get("/repos/search", params={"sort": "nonsense"}).status_code == 422


def test_an_account_that_owns_repositories_cannot_be_deleted_without_purge(forge):
    forge.create_repo("api", org="acme")
    forge.create_repo("mine", as_user="carol")
    refused = forge.delete("/orgs/acme")
    assert refused.status_code == 422 and "owns repositories: acme/api" in refused.json["message"]
    refused = forge.delete("/admin/users/carol", as_user="root")
    assert refused.status_code == 422 and "carol/mine" in refused.json["message"]


def test_purging_a_user_deletes_their_repositories_and_trashes_the_directories(forge):
    forge.create_repo("mine", as_user="carol", auto_init=True)
    forge.post("/repos/carol/mine/forks", {}, as_user="bob")
    path = repo_dir(forge, "carol", "mine")
    assert forge.delete("/admin/users/carol", params={"purge": "true"}, as_user="root").status_code == 204
    assert forge.get("/repos/carol/mine", as_user="root").status_code == 404
    assert not path.exists()
    trash = forge.ctx.services["git_hosting"].storage.trash_dir
    assert [entry.name.split("~")[1:3] for entry in trash.iterdir()] == [["carol", "mine.git"]]
    # As in Gitea, the forks of a deleted repository become ordinary repositories.
    bobs_fork = forge.get("/repos/bob/mine", as_user="bob").json
    assert bobs_fork["fork"] is False and "parent" not in bobs_fork


def test_the_trash_job_purges_what_was_deleted_and_restores_what_was_not(forge, monkeypatch):
    from plue_git_hosting import maintenance

    forge.create_repo("kept", auto_init=True)
    forge.create_repo("gone", auto_init=True)
    hosting = forge.ctx.services["git_hosting"]
    kept_id = forge.get("/repos/alice/kept").json["id"]
    # "kept" as if its deletion rolled back after the move; "gone" deleted for real.
    hosting.storage.move_to_trash(repo_dir(forge, "alice", "kept"), kept_id)
    gone_id = forge.get("/repos/alice/gone").json["id"]
    forge.delete("/repos/alice/gone")
    (hosting.storage.trash_dir / f"{gone_id}~alice~gone.git~leftover").mkdir(parents=True)
    monkeypatch.setattr(maintenance, "SETTLE_SECONDS", 0)
    maintenance.tidy_trash(forge.ctx)
    assert list(hosting.storage.trash_dir.iterdir()) == []
    assert repo_dir(forge, "alice", "kept").exists()
    assert forge.get("/repos/alice/kept/contents/README.md").status_code == 200
