"""Gitea's releases API: bodies, the tag a release makes, drafts, the latest, editing,
deleting, the repository's release counter, and who may do what."""

from __future__ import annotations

import os
import subprocess
import threading
import wsgiref.simple_server

from plue_core.testing import DEFAULT_PASSWORD


def tags(forge, repo="alice/demo"):
    return {tag["name"]: tag["commit"]["sha"] for tag in forge.get(f"/repos/{repo}/tags").json}


def test_a_release_creates_its_tag_at_the_target_and_renders_gitea_s_body(forge):
    main = forge.get("/repos/alice/demo/branches/main").json["commit"]["id"]
    body = forge.release("v1.0", name="One", body="notes", tag_message="annotated")
    assert tags(forge)["v1.0"] == main
    repository = forge.get("/repos/alice/demo").json
    base, api = repository["html_url"], repository["url"]
    assert list(body) == ["id", "tag_name", "target_commitish", "name", "body", "url",
                          "html_url", "tarball_url", "zipball_url", "upload_url", "draft",
                          "prerelease", "created_at", "published_at", "author", "assets"]
    assert body["target_commitish"] == "main"
    assert (body["name"], body["body"], body["draft"], body["prerelease"]) == (
        "One", "notes", False, False)
    assert body["url"] == f"{api}/releases/{body['id']}"
    assert body["upload_url"] == f"{api}/releases/{body['id']}/assets"
    assert body["html_url"] == f"{base}/releases/tag/v1.0"
    assert body["tarball_url"] == f"{base}/archive/v1.0.tar.gz"
    assert body["zipball_url"] == f"{base}/archive/v1.0.zip"
    assert body["author"]["login"] == "alice" and body["assets"] == []
    assert body["created_at"] == body["published_at"]
    assert forge.get(f"/repos/alice/demo/releases/{body['id']}").json == body
    assert forge.get("/repos/alice/demo/releases/tags/v1.0").json == body
    # The tarball the body names downloads.
    archive = forge.client.simulate_get("/alice/demo/archive/v1.0.tar.gz",
                                        headers=forge.auth("alice"))
    assert archive.status_code == 200 and archive.content[:2] == b"\x1f\x8b"
    assert forge.recorder.of("release", action="published", release_id=body["id"])


def test_an_existing_tag_is_used_and_a_second_release_of_it_is_409(forge):
    assert forge.post("/repos/alice/demo/tags", {"tag_name": "old"}).status_code == 201
    before = tags(forge)["old"]
    forge.release("old", target_commitish="no-such-branch")
    assert tags(forge)["old"] == before
    again = forge.post("/repos/alice/demo/releases", {"tag_name": "old"})
    assert again.status_code == 409 and again.json["message"] == "release 'old' already exists"


def test_bad_input_is_4xx(forge):
    empty = forge.post("/repos/alice/demo/releases", {"tag_name": ""})
    assert empty.status_code == 422
    missing = forge.post("/repos/alice/demo/releases", {"name": "x"})
    assert missing.status_code == 422
    unknown_target = forge.post("/repos/alice/demo/releases",
                                {"tag_name": "v9", "target_commitish": "nowhere"})
    assert unknown_target.status_code == 404
    assert forge.get("/repos/alice/demo/releases").json == []
    assert forge.post("/user/repos", {"name": "empty"}).status_code == 201
    empty_repository = forge.post("/repos/alice/empty/releases", {"tag_name": "v1", "draft": True})
    assert empty_repository.status_code == 422
    assert empty_repository.json["message"] == "repo is empty"
    assert forge.get("/repos/alice/demo/releases/999").status_code == 404
    assert forge.get("/repos/alice/demo/releases/tags/none").status_code == 404
    assert forge.get("/repos/alice/demo/releases/latest").status_code == 404


def test_a_draft_has_no_tag_until_published_and_only_writers_see_it(forge):
    draft = forge.release("v2", draft=True)
    assert draft["draft"] is True and "v2" not in tags(forge)
    assert not forge.recorder.of("release")
    assert [r["id"] for r in forge.get("/repos/alice/demo/releases", as_user="wanda").json] \
        == [draft["id"]]
    for reader in ("rita", None):
        assert forge.get("/repos/alice/demo/releases", as_user=reader).json == []
        assert forge.get(f"/repos/alice/demo/releases/{draft['id']}",
                         as_user=reader).status_code == 404
    assert forge.get("/repos/alice/demo").json["release_counter"] == 0

    published = forge.patch(f"/repos/alice/demo/releases/{draft['id']}",
                            {"draft": False, "name": "Two", "body": ""})
    assert published.status_code == 200, published.text
    assert published.json["draft"] is False and published.json["name"] == "Two"
    assert "v2" in tags(forge)
    assert forge.get("/repos/alice/demo").json["release_counter"] == 1
    assert forge.recorder.of("release", action="published", release_id=draft["id"])
    assert forge.get(f"/repos/alice/demo/releases/{draft['id']}", as_user="rita").status_code == 200

    edited = forge.patch(f"/repos/alice/demo/releases/{draft['id']}", {"body": "more"})
    assert edited.json["body"] == "more" and edited.json["name"] == "Two"
    assert forge.recorder.of("release", action="updated", release_id=draft["id"])


def test_list_filters_pages_and_latest(forge):
    first = forge.release("v1")
    pre = forge.release("v2-rc", prerelease=True)
    draft = forge.release("v3", draft=True)
    listed = forge.get("/repos/alice/demo/releases")
    assert [r["id"] for r in listed.json] == [draft["id"], pre["id"], first["id"]]
    assert listed.headers["X-Total-Count"] == "3"
    assert [r["id"] for r in forge.get("/repos/alice/demo/releases?draft=true").json] \
        == [draft["id"]]
    assert [r["id"] for r in forge.get("/repos/alice/demo/releases?pre-release=false").json] \
        == [draft["id"], first["id"]]
    page = forge.get("/repos/alice/demo/releases?limit=1&page=2")
    assert [r["id"] for r in page.json] == [pre["id"]] and page.headers["X-Total-Count"] == "3"
    assert forge.get("/repos/alice/demo/releases/latest").json["id"] == first["id"]
    assert forge.get("/repos/alice/demo").json["release_counter"] == 2


def test_delete_by_id_and_by_tag_keep_the_tag(forge):
    one, two = forge.release("v1"), forge.release("v2")
    assert forge.delete(f"/repos/alice/demo/releases/{one['id']}").status_code == 204
    assert forge.delete("/repos/alice/demo/releases/tags/v2").status_code == 204
    assert forge.get("/repos/alice/demo/releases").json == []
    assert {"v1", "v2"} <= set(tags(forge))
    assert forge.get("/repos/alice/demo").json["release_counter"] == 0
    deleted = forge.recorder.of("release", action="deleted", release_id=two["id"])
    assert deleted and deleted[0].body["tag_name"] == "v2"
    assert forge.delete(f"/repos/alice/demo/releases/{one['id']}").status_code == 404


def test_the_tags_api_does_not_delete_a_tag_with_a_release(forge):
    """Gitea's DeleteTag: 409, the tag and the release stay (delete the release first)."""
    release = forge.release("v1")
    refused = forge.delete("/repos/alice/demo/tags/v1")
    assert refused.status_code == 409
    assert refused.json["message"] == "a tag attached to a release cannot be deleted directly"
    assert "v1" in tags(forge)
    assert forge.get(f"/repos/alice/demo/releases/{release['id']}").json["draft"] is False
    assert forge.delete("/repos/alice/demo/releases/tags/v1").status_code == 204
    assert forge.delete("/repos/alice/demo/tags/v1").status_code == 204


class _Quiet(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


def test_a_push_deleting_the_tag_turns_its_release_into_a_draft(forge, tmp_path):
    """Gitea's PushUpdateDeleteTag: the release stays, as a draft (notes and files kept),
    and publishing it again creates the tag anew."""
    release = forge.release("v1", body="notes")
    assert forge.upload(release["id"], "f.bin", b"x").status_code == 201
    server = wsgiref.simple_server.make_server("127.0.0.1", 0, forge.client.app,
                                               handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_CONFIG_GLOBAL": os.devnull}
        subprocess.run(["git", "init", "-q", str(tmp_path / "local")], check=True, env=env)
        url = f"http://alice:{DEFAULT_PASSWORD}@127.0.0.1:{server.server_port}/alice/demo.git"
        pushed = subprocess.run(["git", "push", url, ":refs/tags/v1"], cwd=tmp_path / "local",
                                capture_output=True, text=True, env=env, timeout=60)
        assert pushed.returncode == 0, pushed.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert "v1" not in tags(forge)
    path = f"/repos/alice/demo/releases/{release['id']}"
    draft = forge.get(path).json
    assert draft["draft"] is True and draft["body"] == "notes" and len(draft["assets"]) == 1
    assert forge.get(path, as_user="rita").status_code == 404  # a draft: writers only
    assert forge.get("/repos/alice/demo").json["release_counter"] == 0
    assert forge.patch(path, {"draft": False}).json["draft"] is False
    assert "v1" in tags(forge)
    assert forge.get("/repos/alice/demo").json["release_counter"] == 1


def test_who_may_do_what(forge):
    release = forge.release("v1")
    path = f"/repos/alice/demo/releases/{release['id']}"
    assert forge.get(path, as_user=None).status_code == 200
    for user in ("rita", "oscar"):
        assert forge.post("/repos/alice/demo/releases", {"tag_name": "x"},
                          as_user=user).status_code == 403
        assert forge.patch(path, {"name": "x"}, as_user=user).status_code == 403
        assert forge.delete(path, as_user=user).status_code == 403
    assert forge.post("/repos/alice/demo/releases", {"tag_name": "x"},
                      as_user=None).status_code == 401
    assert forge.patch(path, {"name": "by wanda"}, as_user="wanda").status_code == 200
    secret = forge.release("s1", repo="alice/secret")
    for user in ("oscar", None):
        assert forge.get("/repos/alice/secret/releases", as_user=user).status_code == 404
        assert forge.get(f"/repos/alice/secret/releases/{secret['id']}",
                         as_user=user).status_code == 404
    assert forge.post("/repos/alice/secret/releases", {"tag_name": "x"},
                      as_user="oscar").status_code == 404
    assert forge.patch("/repos/alice/demo", {"archived": True}).status_code == 200
    assert forge.post("/repos/alice/demo/releases", {"tag_name": "late"}).status_code == 423


def test_a_deleted_publisher_is_gitea_s_ghost(forge):
    from plue_core.testing import make_user

    make_user(forge.ctx, "root", admin=True)
    release = forge.post("/repos/alice/demo/releases", {"tag_name": "v1"}, as_user="wanda").json
    assert release["author"]["login"] == "wanda"
    assert forge.delete("/admin/users/wanda", as_user="root").status_code == 204
    author = forge.get(f"/repos/alice/demo/releases/{release['id']}").json["author"]
    assert (author["id"], author["login"]) == (-1, "Ghost")


def test_releases_switched_off_in_the_repository_are_404(forge):
    forge.release("v1")
    assert forge.patch("/repos/alice/demo", {"has_releases": False}).status_code == 200
    assert forge.get("/repos/alice/demo/releases").status_code == 404
    assert forge.get("/repos/alice/demo/releases/latest").status_code == 404
    assert forge.post("/repos/alice/demo/releases", {"tag_name": "v2"}).status_code == 404
    assert forge.client.simulate_get("/alice/demo/releases/download/v1/x").status_code == 404


def test_a_token_without_the_repository_scope_is_403(forge):
    token = forge.token("alice", "read:user")
    assert forge.get("/repos/alice/demo/releases", as_user=token).status_code == 403
    reader = forge.token("alice", "read:repository")
    assert forge.get("/repos/alice/demo/releases", as_user=reader).status_code == 200
    assert forge.post("/repos/alice/demo/releases", {"tag_name": "v1"},
                      as_user=reader).status_code == 403


def test_renaming_the_tag_of_a_published_release_creates_the_new_tag(forge):
    release = forge.release("v1")
    forge.release("v2")
    renamed = forge.patch(f"/repos/alice/demo/releases/{release['id']}", {"tag_name": "v1.0"})
    assert renamed.status_code == 200 and renamed.json["tag_name"] == "v1.0"
    assert {"v1", "v1.0", "v2"} <= set(tags(forge))
    # A new tag makes it a publication again, as Gitea's notifier says.
    assert len(forge.recorder.of("release", action="published", release_id=release["id"])) == 2
    taken = forge.patch(f"/repos/alice/demo/releases/{release['id']}", {"tag_name": "v2"})
    assert taken.status_code == 409
    assert forge.get("/repos/alice/demo/releases/tags/v1.0").json["id"] == release["id"]
