"""References on the timeline, as Gitea records them: ``#N`` in an issue, a pull request or a
comment adds ``issue_ref`` / ``pull_ref`` / ``comment_ref`` to issue N (neutered when edited
away), a pushed commit's message a ``commit_ref`` (once per commit), "Fixes #N" pushed to the
default branch closes N; references from what a reader may not see are not shown to them."""

from __future__ import annotations

import base64

from plue_core.db import write_transaction
from plue_core.testing import recorded_statements
from plue_git_hosting.events import PushEvent

from plue_issues.references import find_mentions


def timeline(tracker, number: int = 1, repo: str = "alice/tracker", as_user="alice") -> list[dict]:
    response = tracker.get(f"/repos/{repo}/issues/{number}/timeline", as_user=as_user)
    assert response.status_code == 200, response.text
    return response.json


def refs(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["type"].endswith("_ref")]


def commit_file(tracker, path: str, message: str, repo: str = "alice/tracker", *,
                as_user: str = "alice", **options) -> str:
    response = tracker.post(f"/repos/{repo}/contents/{path}",
                            {"content": base64.b64encode(b"x\n").decode(), "message": message,
                             **options}, as_user=as_user)
    assert response.status_code == 201, response.text
    return response.json["commit"]["sha"]


def test_mentions_are_found_as_gitea_finds_them():
    found = find_mentions("Fixes #1, see acme/site#2 and (#3). Closes: #4\nreopens #5 x#6 #7a "
                          "`#8` !9", markdown=True)
    assert [(m.owner, m.name, m.number, m.action) for m in found] == [
        ("", "", 1, "closes"), ("acme", "site", 2, ""), ("", "", 3, ""), ("", "", 4, "closes"),
        ("", "", 5, "reopens"), ("", "", 9, "")]
    assert [m.number for m in find_mentions("```\n#1\n```\n#2", markdown=True)] == [2]
    assert [m.number for m in find_mentions("```\n#1\n```\n#2", markdown=False)] == [1, 2]


def test_an_issue_mentioning_another_adds_an_issue_ref_with_its_source(tracker):
    tracker.issue(title="Target")
    tracker.issue(title="Source", body="Related to #1, and to itself #2; not `#1` twice #1")
    rows = refs(timeline(tracker))
    assert len(rows) == 1
    ref = rows[0]
    assert ref["type"] == "issue_ref" and ref["user"]["login"] == "alice"
    assert ref["ref_issue"]["number"] == 2 and ref["ref_issue"]["title"] == "Source"
    assert ref["ref_issue"]["html_url"].endswith("/alice/tracker/issues/2")
    assert ref["ref_comment"] is None and ref["ref_action"] == "" and ref["ref_commit_sha"] == ""
    assert refs(timeline(tracker, 2)) == []  # no reference to itself


def test_a_comment_reference_is_neutered_when_edited_away_or_deleted(tracker):
    tracker.issue(title="Target")
    tracker.issue(title="Talk")
    comment = tracker.comment(2, "This is #1")
    [ref] = refs(timeline(tracker))
    assert ref["type"] == "comment_ref" and ref["ref_comment"]["id"] == comment["id"]
    assert ref["ref_comment"]["body"] == "This is #1" and ref["ref_issue"]["number"] == 2
    path = f"/repos/alice/tracker/issues/comments/{comment['id']}"
    # An edit that keeps the mention records nothing more.
    assert tracker.patch(path, {"body": "This is #1 indeed"}).status_code == 200
    assert [r["ref_action"] for r in refs(timeline(tracker))] == [""]
    assert tracker.patch(path, {"body": "Never mind"}).status_code == 200
    assert [r["ref_action"] for r in refs(timeline(tracker))] == ["neutered"]
    # Mentioned again: a new reference; the comment deleted: neutered, its source gone.
    assert tracker.patch(path, {"body": "It is #1 after all"}).status_code == 200
    assert [r["ref_action"] for r in refs(timeline(tracker))] == ["neutered", ""]
    assert tracker.delete(path).status_code == 204
    assert [(r["ref_action"], r["ref_comment"]) for r in refs(timeline(tracker))] == [
        ("neutered", None), ("neutered", None)]


def test_editing_an_issue_neuters_what_it_no_longer_mentions(tracker):
    tracker.issue(title="One")
    tracker.issue(title="Two")
    tracker.issue(title="About #1", body="and #2")
    assert tracker.patch("/repos/alice/tracker/issues/3", {"body": "only the title now"}
                         ).status_code == 201
    assert [r["ref_action"] for r in refs(timeline(tracker, 1))] == [""]
    assert [r["ref_action"] for r in refs(timeline(tracker, 2))] == ["neutered"]


def test_a_pull_request_reference_carries_its_closing_keyword(tracker):
    tracker.issue(title="Bug")
    commit_file(tracker, "fix.txt", "Work", new_branch="fix")
    response = tracker.post("/repos/alice/tracker/pulls",
                            {"title": "The fix", "body": "Closes #1", "head": "fix", "base": "main"})
    assert response.status_code == 201, response.text
    [ref] = refs(timeline(tracker))
    assert ref["type"] == "pull_ref" and ref["ref_action"] == "closes"
    assert ref["ref_issue"]["number"] == 2 and ref["ref_issue"]["pull_request"] is not None
    assert ref["pull_request_url"] == "" and ref["issue_url"].endswith("/alice/tracker/issues/1")


def test_references_from_a_private_repository_are_hidden_from_who_cannot_read_it(tracker):
    tracker.issue(title="Public bug")
    tracker.issue(repo="alice/vault", title="Secret", body="Caused by alice/tracker#1")
    assert [r["ref_issue"]["title"] for r in refs(timeline(tracker))] == ["Secret"]
    assert [r["type"] for r in refs(timeline(tracker, as_user="rita"))] == ["issue_ref"]
    for outsider in ("oscar", None):
        assert refs(timeline(tracker, as_user=outsider)) == []
    # Whoever cannot read an issue does not reference it.
    tracker.issue(repo="alice/vault", title="Hidden")
    tracker.issue(title="Guess", body="alice/vault#2", as_user="oscar")
    assert refs(timeline(tracker, 2, repo="alice/vault")) == []


def test_a_pushed_commit_references_and_closes_from_the_default_branch(tracker):
    tracker.issue(title="Crash")
    tracker.issue(title="Typo")
    sha = commit_file(tracker, "a.txt", "Fixes #1 and mentions #2\n\nlonger text")
    rows = timeline(tracker)
    [ref] = refs(rows)
    assert ref["type"] == "commit_ref" and ref["ref_commit_sha"] == sha
    assert ref["body"] == f'<a href="/alice/tracker/commit/{sha}">Fixes #1 and mentions #2</a>'
    assert ref["user"]["login"] == "alice" and ref["ref_issue"] is None
    close = rows[-1]
    assert close["type"] == "close" and close["ref_commit_sha"] == sha
    assert tracker.get("/repos/alice/tracker/issues/1").json["state"] == "closed"
    assert [r["type"] for r in refs(timeline(tracker, 2))] == ["commit_ref"]
    assert tracker.get("/repos/alice/tracker/issues/2").json["state"] == "open"
    # On another branch a keyword only references.
    other = commit_file(tracker, "b.txt", "Fixes #2", new_branch="topic")
    assert [r["ref_commit_sha"] for r in refs(timeline(tracker, 2))] == [sha, other]
    assert tracker.get("/repos/alice/tracker/issues/2").json["state"] == "open"


def test_a_commit_is_recorded_once_however_many_branches_carry_it(tracker):
    tracker.issue(title="Crash")
    sha = commit_file(tracker, "a.txt", "Refs #1")
    commit = {"id": sha, "message": "Refs #1\n", "url": "", "timestamp": "",
              "author": {}, "committer": {}}
    alice = tracker.get("/user").json
    repository = tracker.get("/repos/alice/tracker").json
    with write_transaction():
        for ref in ("refs/heads/copy", "refs/heads/another"):
            tracker.ctx.events.publish(PushEvent(
                repository_id=repository["id"], owner="alice", repository="tracker", ref=ref,
                before="0" * 40, after=sha, commits=(commit,), total_commits=1,
                commit_messages=((sha, commit["message"]),), pusher_id=alice["id"],
                pusher="alice", default_branch="main"))
    assert [r["ref_commit_sha"] for r in refs(timeline(tracker))] == [sha]


def test_a_commit_reference_needs_a_pusher_who_may_read_the_target(tracker):
    tracker.issue(repo="acme/site", title="Org bug")
    tracker.add_collaborator("alice/tracker", "oscar", "write")
    response = tracker.patch("/repos/acme/site", {"private": True})
    assert response.status_code == 200, response.text
    commit_file(tracker, "c.txt", "Fixes acme/site#1", as_user="oscar")
    assert refs(timeline(tracker, repo="acme/site")) == []
    assert tracker.get("/repos/acme/site/issues/1").json["state"] == "open"
    # A writer there closes it from another repository; the close names no foreign commit.
    commit_file(tracker, "d.txt", "Fixes acme/site#1")
    rows = timeline(tracker, repo="acme/site")
    assert [r["type"] for r in refs(rows)] == ["commit_ref"]
    assert rows[-1]["type"] == "close" and rows[-1]["ref_commit_sha"] == ""


def test_a_deleted_source_takes_its_references_with_it(tracker):
    tracker.issue(title="Target")
    tracker.issue(title="Source", body="#1")
    tracker.issue(repo="alice/vault", title="Elsewhere", body="alice/tracker#1")
    assert len(refs(timeline(tracker))) == 2
    assert tracker.delete("/repos/alice/tracker/issues/2").status_code == 204
    assert [r["ref_issue"]["title"] for r in refs(timeline(tracker))] == ["Elsewhere"]
    assert tracker.delete("/repos/alice/vault").status_code == 204
    assert refs(timeline(tracker)) == []


def test_the_timeline_costs_no_more_statements_with_more_references(tracker):

    tracker.issue(title="Popular")
    tracker.issue(title="First", body="#1")
    tracker.issue(repo="alice/vault", title="Private", body="alice/tracker#1")
    tracker.comment(2, "#1 first")
    commit_file(tracker, "f.txt", "Touch #1")
    timeline(tracker, as_user="rita")  # warm: sign-in throttling, caches
    with recorded_statements(tracker.ctx.db) as few:
        assert len(refs(timeline(tracker, as_user="rita"))) == 4
    for n in range(3):
        tracker.issue(title=f"More {n}", body="#1")
        tracker.comment(2, f"#1 again {n}")
        tracker.issue(repo="alice/vault", title=f"Private {n}", body="alice/tracker#1")
        commit_file(tracker, f"f{n}.txt", f"Touch #1 ({n})")
    with recorded_statements(tracker.ctx.db) as many:
        assert len(refs(timeline(tracker, as_user="rita"))) == 16
    assert len(many) == len(few), many
