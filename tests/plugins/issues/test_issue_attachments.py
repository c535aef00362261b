"""Issue and comment attachments (Gitea's ``/issues/{index}/assets`` and
``/issues/comments/{id}/assets``): upload, list, get, rename, delete, the Issue and Comment
bodies' ``assets``, the download at ``/attachments/{uuid}`` (counted), Gitea's
``[attachment]`` settings (allowed types 422, size 413, disabled 404), who may write, and
the files leaving the disk with their issue, comment or repository."""

from __future__ import annotations

import dataclasses

import falcon.testing
import pytest

from plue_core.attachments.models import Attachment
from plue_core.testing import UserApi, make_user

BOUNDARY = "plueboundary"


def multipart(name: str, data: bytes) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachment\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def upload(tracker, path: str, name: str, data: bytes, as_user: str | None = "alice",
           query: str = ""):
    return tracker.client.simulate_post(
        f"/api/v1/repos/{path}/assets", body=multipart(name, data), query_string=query,
        headers={**tracker.auth(as_user),
                 "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})


def files_on_disk(tracker) -> list:
    root = tracker.ctx.services["attachments"].files.root
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def download(tracker, url: str, as_user: str | None = None):
    """GET the path of a ``browser_download_url``."""
    return tracker.client.simulate_get("/" + url.split("/", 3)[3], headers=tracker.auth(as_user))


@dataclasses.dataclass
class Alone(UserApi):
    """alice and her ``alice/tracker``, on an app with some settings."""

    ctx: object
    client: falcon.testing.TestClient
    default_user = "alice"

    def issue(self) -> dict:
        response = self.post("/repos/alice/tracker/issues", {"title": "t"})
        assert response.status_code == 201, response.text
        return response.json


@pytest.fixture
def tracker_with(build_app):
    def build(**config) -> Alone:
        app = build_app(**config)
        make_user(app.plue, "alice")
        world = Alone(app.plue, falcon.testing.TestClient(app))
        assert world.post("/user/repos", {"name": "tracker"}).status_code == 201
        return world
    return build


def test_an_issue_file_uploaded_listed_shown_downloaded_renamed_and_deleted(tracker):
    number = tracker.issue()["number"]
    assets = f"/repos/alice/tracker/issues/{number}/assets"
    created = upload(tracker, f"alice/tracker/issues/{number}", "trace.log", b"boom\n")
    assert created.status_code == 201, created.text
    asset = created.json
    assert list(asset) == ["id", "name", "size", "download_count", "created_at", "uuid",
                           "browser_download_url"]
    assert (asset["name"], asset["size"], asset["download_count"]) == ("trace.log", 5, 0)
    base = tracker.ctx.config.base_url.rstrip("/")
    assert asset["browser_download_url"] == f"{base}/attachments/{asset['uuid']}"
    assert tracker.get(assets).json == [asset]
    assert tracker.get(f"{assets}/{asset['id']}").json == asset
    assert tracker.get(f"/repos/alice/tracker/issues/{number}").json["assets"] == [asset]
    assert [i["assets"] for i in tracker.get("/repos/alice/tracker/issues").json] == [[asset]]

    fetched = download(tracker, asset["browser_download_url"])
    assert fetched.status_code == 200 and fetched.content == b"boom\n"
    assert "attachment" in fetched.headers["content-disposition"]
    assert tracker.get(f"{assets}/{asset['id']}").json["download_count"] == 1

    named = upload(tracker, f"alice/tracker/issues/{number}", "x.txt", b"x", query="name=y.md")
    assert named.status_code == 201 and named.json["name"] == "y.md"
    # Read with the issue (one statement): both, in upload order, as the list gives them.
    assert tracker.get(f"/repos/alice/tracker/issues/{number}").json["assets"] == [
        tracker.get(f"{assets}/{asset['id']}").json, named.json]
    renamed = tracker.patch(f"{assets}/{asset['id']}", {"name": "trace-2.log"})
    assert renamed.status_code == 201 and renamed.json["name"] == "trace-2.log"
    assert len(files_on_disk(tracker)) == 2
    assert tracker.delete(f"{assets}/{asset['id']}").status_code == 204
    assert tracker.get(f"{assets}/{asset['id']}").status_code == 404
    assert files_on_disk(tracker) == [named.json["uuid"]]
    assert download(tracker, asset["browser_download_url"]).status_code == 404


def test_a_comment_file_and_the_comment_body(tracker):
    number = tracker.issue()["number"]
    comment = tracker.comment(number)
    path = f"alice/tracker/issues/comments/{comment['id']}"
    created = upload(tracker, path, "shot.png", b"\x89PNG")
    assert created.status_code == 201, created.text
    asset = created.json
    assert tracker.get(f"/repos/{path}/assets").json == [asset]
    assert tracker.get(f"/repos/{path}/assets/{asset['id']}").json == asset
    assert tracker.get(f"/repos/{path}").json["assets"] == [asset]
    listed = tracker.get(f"/repos/alice/tracker/issues/{number}/comments").json
    assert [c["assets"] for c in listed] == [[asset]]
    # The issue's own list leaves its comments' files out, as Gitea's; by id it finds them.
    assert tracker.get(f"/repos/alice/tracker/issues/{number}/assets").json == []
    assert tracker.get(f"/repos/alice/tracker/issues/{number}").json["assets"] == []
    other = tracker.comment(number)
    assert tracker.get(f"/repos/alice/tracker/issues/comments/{other['id']}/assets/"
                       f"{asset['id']}").status_code == 404
    renamed = tracker.patch(f"/repos/{path}/assets/{asset['id']}", {"name": "shot-2.png"})
    assert renamed.status_code == 201 and renamed.json["name"] == "shot-2.png"
    assert tracker.delete(f"/repos/{path}/assets/{asset['id']}").status_code == 204
    assert files_on_disk(tracker) == []


def test_gitea_attachment_settings_allowed_types_and_size(tracker_with):
    tracker = tracker_with(attachment={"max_size": 1, "allowed_types": ".txt,image/*"})
    number = tracker.issue()["number"]
    path = f"alice/tracker/issues/{number}"
    assert upload(tracker, path, "ok.txt", b"x").status_code == 201
    assert upload(tracker, path, "ok.png", b"x").status_code == 201
    refused = upload(tracker, path, "tool.exe", b"x")
    assert refused.status_code == 422, refused.text
    assert "forbidden file extension or type" in refused.json["message"]
    ok = tracker.get(f"/repos/{path}/assets").json[0]
    assert tracker.patch(f"/repos/{path}/assets/{ok['id']}",
                         {"name": "ok.exe"}).status_code == 422
    too_big = upload(tracker, path, "big.txt", b"x" * (1024 * 1024 + 1))
    assert too_big.status_code == 413, too_big.text
    assert len(files_on_disk(tracker)) == 2


def test_attachments_switched_off_are_404(tracker_with):
    off = tracker_with(attachment={"enabled": False})
    number = off.issue()["number"]
    assert off.get(f"/repos/alice/tracker/issues/{number}/assets").status_code == 404
    assert upload(off, f"alice/tracker/issues/{number}", "a.txt", b"x").status_code == 404


def test_who_may_write_and_read_issue_and_comment_files(tracker):
    number = tracker.issue()["number"]
    path = f"alice/tracker/issues/{number}"
    assert upload(tracker, path, "r.txt", b"x", as_user="rita").status_code == 403
    assert upload(tracker, path, "o.txt", b"x", as_user="oscar").status_code == 403
    assert upload(tracker, path, "a.txt", b"x", as_user=None).status_code == 401
    assert upload(tracker, path, "w.txt", b"x", as_user="wanda").status_code == 201
    assert upload(tracker, path, "root.txt", b"x", as_user="root").status_code == 201
    # The poster of an issue may attach to it without write access.
    own = tracker.issue(as_user="rita")["number"]
    assert upload(tracker, f"alice/tracker/issues/{own}", "mine.txt", b"x",
                  as_user="rita").status_code == 201
    asset = tracker.get(f"/repos/{path}/assets", as_user=None).json[0]
    assert tracker.delete(f"/repos/{path}/assets/{asset['id']}",
                          as_user="rita").status_code == 403
    # A comment's files: its poster or an administrator, who can also write issues.
    comment = tracker.comment(number, as_user="rita")
    cpath = f"alice/tracker/issues/comments/{comment['id']}"
    assert upload(tracker, cpath, "c.txt", b"x", as_user="rita").status_code == 403
    assert upload(tracker, cpath, "c.txt", b"x", as_user="wanda").status_code == 403
    assert upload(tracker, cpath, "c.txt", b"x", as_user="alice").status_code == 201

    secret = tracker.issue("alice/vault")["number"]
    stored = upload(tracker, f"alice/vault/issues/{secret}", "s.txt", b"secret").json
    for user in (None, "oscar"):
        assert tracker.get(f"/repos/alice/vault/issues/{secret}/assets",
                           as_user=user).status_code == 404
        assert upload(tracker, f"alice/vault/issues/{secret}", "s.txt", b"x",
                      as_user=user).status_code in (401, 404)
        assert download(tracker, stored["browser_download_url"], user).status_code == 404
    assert download(tracker, stored["browser_download_url"], "rita").content == b"secret"

    assert tracker.patch("/repos/alice/tracker", {"has_issues": False}).status_code == 200
    assert download(tracker, asset["browser_download_url"]).status_code == 404
    assert tracker.patch("/repos/alice/tracker", {"has_issues": True,
                                                  "archived": True}).status_code == 200
    assert upload(tracker, path, "late.txt", b"x").status_code == 423
    assert tracker.delete(f"/repos/{path}/assets/{asset['id']}").status_code == 423


def test_files_leave_with_their_comment_issue_or_repository(tracker):
    one, two = tracker.issue()["number"], tracker.issue()["number"]
    comment = tracker.comment(one)
    upload(tracker, f"alice/tracker/issues/comments/{comment['id']}", "c.txt", b"c")
    upload(tracker, f"alice/tracker/issues/{one}", "i.txt", b"i")
    upload(tracker, f"alice/tracker/issues/{two}", "j.txt", b"j")
    other = tracker.comment(one)
    upload(tracker, f"alice/tracker/issues/comments/{other['id']}", "d.txt", b"d")
    assert len(files_on_disk(tracker)) == 4
    assert tracker.delete(f"/repos/alice/tracker/issues/comments/{comment['id']}").status_code == 204
    assert len(files_on_disk(tracker)) == 3
    assert tracker.delete(f"/repos/alice/tracker/issues/{one}").status_code == 204
    assert len(files_on_disk(tracker)) == 1 and Attachment.select().count() == 1
    assert tracker.delete("/repos/alice/tracker").status_code == 204
    assert files_on_disk(tracker) == [] and Attachment.select().count() == 0


def test_a_review_s_files_leave_with_the_review(tracker):
    """A submitted review's timeline row is a comment: files uploaded to it go when the review
    is deleted (they stayed on disk and in the table, owned by a comment that was gone)."""
    import base64

    assert tracker.post("/repos/alice/tracker/contents/topic.txt", {
        "content": base64.b64encode(b"t\n").decode(), "message": "t",
        "new_branch": "topic"}).status_code == 201
    pull = tracker.post("/repos/alice/tracker/pulls", {"head": "topic", "base": "main",
                                                       "title": "p"}).json
    review = tracker.post(f"/repos/alice/tracker/pulls/{pull['number']}/reviews",
                          {"event": "COMMENT", "body": "looked"}).json
    row = [event for event in tracker.get(
        f"/repos/alice/tracker/issues/{pull['number']}/timeline").json
        if event["type"] == "review"][0]
    path = f"alice/tracker/issues/comments/{row['id']}"
    assert upload(tracker, path, "r.txt", b"r").status_code == 201
    assert len(files_on_disk(tracker)) == 1
    deleted = tracker.delete(f"/repos/alice/tracker/pulls/{pull['number']}/reviews/{review['id']}")
    assert deleted.status_code == 204, deleted.text
    assert files_on_disk(tracker) == [] and Attachment.select().count() == 0
