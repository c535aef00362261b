"""A page of issues renders each person once (issue 13, round seven): posters and assignees
repeat on every row, and the presenter keeps each account's ``User`` for its viewer. The body
is the same as rendering each one, each place gets its own dict, and a row read with other
columns is rendered anew."""

from __future__ import annotations

from plue_core.accounts.models import Account
from plue_core.db import connection


def test_an_issue_page_renders_each_person_once(tracker, monkeypatch):
    for number in range(3):
        tracker.issue(title=f"issue {number}", assignees=["alice", "wanda"])
    tracker.issue(title="by wanda", as_user="wanda")
    accounts = tracker.ctx.services["accounts"]
    rendered = []
    user_json = accounts.user_json
    monkeypatch.setattr(accounts, "user_json", lambda account, viewer=None: rendered.append(
        account.name) or user_json(account, viewer))
    page = tracker.get("/repos/alice/tracker/issues").json
    assert len(page) == 4
    assert sorted(rendered) == ["alice", "wanda"]  # 4 posters and 9 assignees: two people
    monkeypatch.undo()
    alice = tracker.get("/users/alice").json
    for issue in page[1:]:
        assert issue["user"]["login"] == "alice"
        assert [user["login"] for user in issue["assignees"]] == ["alice", "wanda"]
        assert issue["assignee"] == issue["assignees"][0]
        for key in ("id", "login", "full_name", "avatar_url", "html_url", "created"):
            assert issue["user"][key] == alice[key]
    assert page[0]["user"]["login"] == "wanda" and page[0]["assignees"] is None


def test_each_place_gets_its_own_user_and_another_read_is_rendered_anew(tracker):
    service = tracker.ctx.services["issues"]
    with connection(tracker.ctx.db):
        whole = Account.get(Account.lower_name == "alice")
        narrow = Account.select(Account.id, Account.name).where(Account.id == whole.id).get()
        presenter = service.presenter(None)
        first, second = presenter.user(whole), presenter.user(whole)
        assert first == second and first is not second
        first["login"] = "changed"
        assert presenter.user(whole)["login"] == "alice"
        # Fewer columns read: rendered from that row (no creation time), not the one kept.
        kept = presenter.user(whole)["created"]
        assert presenter.user(narrow)["created"] != kept
        assert presenter.user(whole)["created"] == kept
        assert presenter.user(None)["login"] == "Ghost"


def test_an_issue_page_renders_each_label_and_milestone_once(tracker, monkeypatch):
    """The same few labels and milestones are named on many issues of a page: each is
    rendered once per presenter, and every issue still gets its own, equal body."""
    from plue_issues.schemas import shapes

    bug, docs = tracker.label(name="bug")["id"], tracker.label(name="docs", color="#cccccc")["id"]
    v1 = tracker.milestone(title="v1")["id"]
    for number in range(3):
        tracker.issue(title=f"issue {number}", labels=[bug, docs], milestone=v1)
    tracker.issue(title="bare")
    rendered = []
    for name in ("LABEL_SHAPE", "MILESTONE_SHAPE"):
        shape = getattr(shapes, name)
        monkeypatch.setattr(shapes, name, lambda row, view=None, shape=shape: rendered.append(
            (shape.name, row.id)) or shape(row, view))
    page = tracker.get("/repos/alice/tracker/issues").json
    assert sorted(rendered) == [("Label", bug), ("Label", docs), ("Milestone", v1)]
    monkeypatch.undo()
    assert page == tracker.get("/repos/alice/tracker/issues").json
    labelled = [issue for issue in page if issue["labels"]]
    assert len(labelled) == 3
    assert [label["name"] for label in labelled[0]["labels"]] == ["bug", "docs"]
    assert labelled[0]["milestone"]["open_issues"] == 3
    assert labelled[0]["labels"][0] is not labelled[1]["labels"][0]
    assert labelled[0]["milestone"] is not labelled[1]["milestone"]
