"""Branches, tags, raw git data, commit history and compare through Gitea's API."""

from __future__ import annotations

import base64


def seeded(forge, files: int = 3) -> list[str]:
    """alice/demo with a README commit plus ``files`` more commits; returns their shas, newest last."""
    forge.create_repo("demo", auto_init=True)
    return [forge.create_file("alice/demo", f"f{i}.txt", f"{i}\n".encode())["commit"]["sha"]
            for i in range(files)]


def test_branches_list_with_their_head_commit_as_gitea_shows_it(forge):
    shas = seeded(forge, 1)
    branches = forge.get("/repos/alice/demo/branches").json
    assert [b["name"] for b in branches] == ["main"]
    branch = branches[0]
    assert branch["commit"]["id"] == shas[-1]
    assert branch["commit"]["author"] == {"name": "alice", "email": "alice@example.com", "username": "alice"}
    assert branch["commit"]["url"] == f"http://127.0.0.1:8000/alice/demo/commit/{shas[-1]}"
    assert branch["protected"] is False and branch["user_can_push"] is True
    assert forge.get("/repos/alice/demo/branches", as_user="carol").json[0]["user_can_push"] is False


def test_creating_a_branch_from_the_default_branch_a_branch_a_tag_or_a_commit(forge):
    shas = seeded(forge, 2)
    created = forge.post("/repos/alice/demo/branches", {"new_branch_name": "feature/x"})
    assert created.status_code == 201 and created.json["name"] == "feature/x"
    assert created.json["commit"]["id"] == shas[-1]
    from_commit = forge.post("/repos/alice/demo/branches", {"new_branch_name": "old", "old_ref_name": shas[0]})
    assert from_commit.json["commit"]["id"] == shas[0]
    from_branch = forge.post("/repos/alice/demo/branches", {"new_branch_name": "copy", "old_branch_name": "old"})
    assert from_branch.json["commit"]["id"] == shas[0]
    assert forge.get("/repos/alice/demo/branches/feature/x").json["name"] == "feature/x"
    assert forge.get("/repos/alice/demo").json["branch_count"] == 4


def test_branch_creation_errors(forge):
    forge.create_repo("empty")
    assert forge.post("/repos/alice/empty/branches", {"new_branch_name": "x"}).status_code == 404
    seeded(forge, 0)
    assert forge.post("/repos/alice/demo/branches", {"new_branch_name": "main"}).status_code == 409
    assert forge.post("/repos/alice/demo/branches", {"new_branch_name": "x", "old_branch_name": "nope"}).status_code == 404
    assert forge.post("/repos/alice/demo/branches", {"new_branch_name": "bad..name"}).status_code == 422
    assert forge.post("/repos/alice/demo/branches", {}).status_code == 422
    assert forge.post("/repos/alice/demo/branches", {"new_branch_name": "y"}, as_user="carol").status_code == 403
    forge.post("/repos/alice/demo/branches", {"new_branch_name": "a"})
    assert forge.post("/repos/alice/demo/branches", {"new_branch_name": "a/b"}).status_code == 409


def test_deleting_a_branch_but_never_the_default_one(forge):
    seeded(forge, 0)
    forge.post("/repos/alice/demo/branches", {"new_branch_name": "topic"})
    assert forge.delete("/repos/alice/demo/branches/topic").status_code == 204
    assert forge.get("/repos/alice/demo/branches/topic").status_code == 404
    assert forge.delete("/repos/alice/demo/branches/topic").status_code == 404
    refused = forge.delete("/repos/alice/demo/branches/main")
    assert refused.status_code == 403 and "default branch" in refused.json["message"]


def test_tags_lightweight_and_annotated(forge):
    shas = seeded(forge, 2)
    light = forge.post("/repos/alice/demo/tags", {"tag_name": "v1", "target": shas[0]})
    assert light.status_code == 201
    assert light.json["id"] == shas[0] and light.json["commit"]["sha"] == shas[0]
    annotated = forge.post("/repos/alice/demo/tags", {"tag_name": "v2", "message": "Release 2"}).json
    assert annotated["id"] != shas[-1] and annotated["commit"]["sha"] == shas[-1]
    assert annotated["message"] == "Release 2"
    assert annotated["tarball_url"] == "http://127.0.0.1:8000/alice/demo/archive/v2.tar.gz"
    listed = forge.get("/repos/alice/demo/tags")
    assert {t["name"] for t in listed.json} == {"v1", "v2"} and listed.headers["X-Total-Count"] == "2"
    assert forge.get("/repos/alice/demo/tags/v2").json["id"] == annotated["id"]
    tag_object = forge.get(f"/repos/alice/demo/git/tags/{annotated['id']}").json
    assert tag_object["tag"] == "v2" and tag_object["object"] == {
        "type": "commit", "sha": shas[-1],
        "url": f"http://127.0.0.1:8000/api/v1/repos/alice/demo/git/commits/{shas[-1]}"}
    assert tag_object["tagger"]["name"] == "alice"
    assert forge.post("/repos/alice/demo/tags", {"tag_name": "v1"}).status_code == 409
    assert forge.post("/repos/alice/demo/tags", {"tag_name": "v3", "target": "nope"}).status_code == 404
    assert forge.delete("/repos/alice/demo/tags/v1").status_code == 204
    assert forge.get("/repos/alice/demo/tags/v1").status_code == 404


def test_a_single_commit_by_sha_or_branch_with_files_and_stats(forge):
    seeded(forge, 0)
    readme = forge.get("/repos/alice/demo/contents/README.md").json["sha"]
    sha = forge.put("/repos/alice/demo/contents/README.md",
                    {"content": base64.b64encode(b"# demo\nmore\nlines\n").decode(), "sha": readme}).json["commit"]["sha"]
    commit = forge.get(f"/repos/alice/demo/git/commits/{sha}").json
    assert set(commit) == {"url", "sha", "created", "html_url", "commit", "author", "committer",
                           "parents", "files", "stats"}
    assert commit["author"]["login"] == "alice"
    assert commit["commit"]["message"] == "Update README.md\n"
    assert commit["files"] == [{"filename": "README.md", "status": "modified"}]
    assert commit["stats"] == {"total": 2, "additions": 2, "deletions": 0}
    assert commit["commit"]["verification"]["reason"] == "gpg.error.not_signed_commit"
    by_branch = forge.get("/repos/alice/demo/commits/main", params={"stat": "false"}).json
    assert by_branch["sha"] == sha and by_branch["stats"] is None
    assert forge.get(f"/repos/alice/demo/git/commits/{sha[:10]}").json["sha"] == sha
    assert forge.get("/repos/alice/demo/git/commits/" + "f" * 40).status_code == 404
    assert forge.get("/repos/alice/demo/git/commits/bad~ref").status_code == 422


def test_commit_history_is_paginated_with_giteas_headers(forge):
    shas = seeded(forge, 4)
    page = forge.get("/repos/alice/demo/commits", params={"limit": 2, "page": 2})
    assert [c["sha"] for c in page.json] == [shas[1], shas[0]]
    headers = page.headers
    assert headers["X-Total-Count"] == "5" and headers["X-Total"] == "5"
    assert headers["X-PerPage"] == "2" and headers["X-Page"] == "2" and headers["X-PageCount"] == "3"
    assert headers["X-HasMore"] == "true"
    assert 'rel="next"' in headers["Link"] and 'rel="prev"' in headers["Link"]
    path_history = forge.get("/repos/alice/demo/commits", params={"path": "f2.txt"}).json
    assert [c["sha"] for c in path_history] == [shas[2]]
    excluded = forge.get("/repos/alice/demo/commits", params={"not": shas[1]}).json
    assert [c["sha"] for c in excluded] == [shas[3], shas[2]]


def test_commit_history_of_an_empty_repository_is_a_conflict(forge):
    forge.create_repo("empty")
    response = forge.get("/repos/alice/empty/commits")
    assert response.status_code == 409 and response.json["message"] == "Git Repository is empty."


def test_compare_lists_the_commits_head_has_over_base(forge):
    shas = seeded(forge, 1)
    forge.post("/repos/alice/demo/branches", {"new_branch_name": "topic"})
    topic = [forge.create_file("alice/demo", f"t{i}.txt", b"t", branch="topic")["commit"]["sha"] for i in range(2)]
    body = forge.get("/repos/alice/demo/compare/main...topic").json
    assert body["total_commits"] == 2 and [c["sha"] for c in body["commits"]] == topic
    assert forge.get("/repos/alice/demo/compare/topic...main").json["total_commits"] == 0
    assert forge.get("/repos/alice/demo/compare/main").status_code == 422
    assert forge.get("/repos/alice/demo/compare/main...nope").status_code == 404
    assert shas


def test_trees_flat_recursive_and_paged(forge):
    seeded(forge, 0)
    forge.create_file("alice/demo", "src/a.py", b"a")
    forge.create_file("alice/demo", "src/sub/b.py", b"bb")
    flat = forge.get("/repos/alice/demo/git/trees/main").json
    assert [(e["path"], e["type"], e["mode"]) for e in flat["tree"]] == [
        ("README.md", "blob", "100644"), ("src", "tree", "040000")]
    assert flat["truncated"] is False and flat["total_count"] == 2
    deep = forge.get("/repos/alice/demo/git/trees/main", params={"recursive": "true"}).json
    assert [e["path"] for e in deep["tree"]] == ["README.md", "src", "src/a.py", "src/sub", "src/sub/b.py"]
    assert deep["tree"][-1]["size"] == 2
    paged = forge.get("/repos/alice/demo/git/trees/main", params={"recursive": "1", "per_page": 2, "page": 2}).json
    assert [e["path"] for e in paged["tree"]] == ["src/a.py", "src/sub"]
    assert paged["truncated"] is True and paged["total_count"] == 5 and paged["page"] == 2
    subtree = forge.get(f"/repos/alice/demo/git/trees/{flat['tree'][1]['sha']}").json
    assert [e["path"] for e in subtree["tree"]] == ["a.py", "sub"]


def test_blobs_come_base64_encoded(forge):
    seeded(forge, 0)
    sha = forge.create_file("alice/demo", "f.bin", b"\x00\xffdata")["content"]["sha"]
    blob = forge.get(f"/repos/alice/demo/git/blobs/{sha}").json
    assert blob["sha"] == sha and blob["size"] == 6 and blob["encoding"] == "base64"
    assert base64.b64decode(blob["content"]) == b"\x00\xffdata"
    assert forge.get("/repos/alice/demo/git/blobs/" + "0" * 40).status_code == 404


def test_refs_are_listed_all_or_by_prefix(forge):
    shas = seeded(forge, 1)
    forge.post("/repos/alice/demo/tags", {"tag_name": "v1", "message": "one"})
    refs = forge.get("/repos/alice/demo/git/refs").json
    assert [r["ref"] for r in refs] == ["refs/heads/main", "refs/tags/v1"]
    assert refs[0]["object"] == {"type": "commit", "sha": shas[-1],
                                 "url": f"http://127.0.0.1:8000/api/v1/repos/alice/demo/git/commits/{shas[-1]}"}
    assert refs[1]["object"]["type"] == "tag"
    assert [r["ref"] for r in forge.get("/repos/alice/demo/git/refs/heads").json] == ["refs/heads/main"]
    assert [r["ref"] for r in forge.get("/repos/alice/demo/git/refs/tags/v1").json] == ["refs/tags/v1"]
    assert forge.get("/repos/alice/demo/git/refs/heads/nope").status_code == 404


def test_branches_show_no_protection_when_no_plugin_protects_them(build_forge_without):
    forge = build_forge_without("pulls")
    assert "pulls" not in forge.ctx.services
    seeded(forge, 1)
    branch = forge.get("/repos/alice/demo/branches/main").json
    assert branch["protected"] is False and branch["effective_branch_protection_name"] == ""
    assert branch["user_can_push"] is True and branch["user_can_merge"] is True
    assert forge.get("/repos/alice/demo/branches/main", as_user="carol").json["user_can_merge"] is False
