#!/usr/bin/env python3
"""SDK for the issue, comment, label and milestone endpoints of a Plue server (Gitea's
/api/v1 shapes, so it works against Gitea too).

Configuration comes from the environment:

* ``PLUE_URL``   - the server, e.g. ``http://127.0.0.1:8000`` (``/api/v1`` is added when absent)
* ``PLUE_TOKEN`` - an access token (``plue admin token create --username you``)

``python scripts/issue_management.py`` exercises every call against a scratch repository it
creates (or ``--repo owner/name``, which must exist) and deletes the scratch repository at the
end unless ``--keep`` is given. It prints what it did and exits 0 on success, 1 on the first
failure.

    api = IssueAPI()
    bug = api.create_label("alice", "demo", "bug", "#ff0000", "Something isn't working")
    issue = api.create_issue("alice", "demo", "Crash on start", labels=[bug["id"]])
    api.add_comment("alice", "demo", issue["number"], "Reproduced on main.")
    api.close_issue("alice", "demo", issue["number"])
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any

import requests

from plue_client import PlueAPIError, PlueClient


class IssueAPI(PlueClient):
    """Issues, comments, labels (repository and organization) and milestones."""

    @staticmethod
    def _repo(owner: str, repo: str) -> str:
        return f"/repos/{owner}/{repo}"

    # --- repositories (for a scratch repository) ---------------------------------------------

    def get_current_user(self) -> dict:
        return self._json("GET", "/user")

    def create_repository(self, name: str, **fields: Any) -> dict:
        return self._json("POST", "/user/repos", expect=(201,), json={"name": name, **fields})

    def get_repository(self, owner: str, repo: str) -> dict:
        return self._json("GET", self._repo(owner, repo))

    def delete_repository(self, owner: str, repo: str) -> None:
        self._request("DELETE", self._repo(owner, repo), expect=(204,))

    # --- labels ---------------------------------------------------------------------------------

    def create_label(self, owner: str, repo: str, name: str, color: str,
                     description: str | None = None, exclusive: bool = False) -> dict:
        """Create a label; ``color`` as ``#rrggbb``, ``rrggbb`` or ``#rgb``."""
        print(f"Creating label '{name}'...")
        body = {"name": name, "color": color, "exclusive": exclusive}
        if description is not None:
            body["description"] = description
        return self._json("POST", f"{self._repo(owner, repo)}/labels", expect=(201,), json=body)

    def list_labels(self, owner: str, repo: str) -> list[dict]:
        return list(self._pages(f"{self._repo(owner, repo)}/labels"))

    def get_label(self, owner: str, repo: str, label: int | str) -> dict:
        """By id, or by name."""
        return self._json("GET", f"{self._repo(owner, repo)}/labels/{label}")

    def edit_label(self, owner: str, repo: str, label_id: int, **fields: Any) -> dict:
        """``fields``: name, color, description, exclusive, is_archived."""
        return self._json("PATCH", f"{self._repo(owner, repo)}/labels/{label_id}", json=fields)

    def delete_label(self, owner: str, repo: str, label_id: int) -> None:
        self._request("DELETE", f"{self._repo(owner, repo)}/labels/{label_id}", expect=(204,))

    def create_org_label(self, org: str, name: str, color: str, **fields: Any) -> dict:
        return self._json("POST", f"/orgs/{org}/labels", expect=(201,),
                          json={"name": name, "color": color, **fields})

    def list_org_labels(self, org: str) -> list[dict]:
        return list(self._pages(f"/orgs/{org}/labels"))

    # --- milestones -----------------------------------------------------------------------------

    def create_milestone(self, owner: str, repo: str, title: str, **fields: Any) -> dict:
        """``fields``: description, due_on (RFC 3339), state (open/closed)."""
        return self._json("POST", f"{self._repo(owner, repo)}/milestones", expect=(201,),
                          json={"title": title, **fields})

    def list_milestones(self, owner: str, repo: str, state: str = "open") -> list[dict]:
        return list(self._pages(f"{self._repo(owner, repo)}/milestones", {"state": state}))

    def get_milestone(self, owner: str, repo: str, milestone: int | str) -> dict:
        return self._json("GET", f"{self._repo(owner, repo)}/milestones/{milestone}")

    def edit_milestone(self, owner: str, repo: str, milestone: int | str, **fields: Any) -> dict:
        return self._json("PATCH", f"{self._repo(owner, repo)}/milestones/{milestone}", json=fields)

    def delete_milestone(self, owner: str, repo: str, milestone: int | str) -> None:
        self._request("DELETE", f"{self._repo(owner, repo)}/milestones/{milestone}", expect=(204,))

    # --- issues ---------------------------------------------------------------------------------

    def create_issue(self, owner: str, repo: str, title: str, body: str = "", **fields: Any) -> dict:
        """``fields``: labels (ids), assignees (logins), milestone (id), closed, due_date."""
        print(f"Creating issue '{title}'...")
        return self._json("POST", f"{self._repo(owner, repo)}/issues", expect=(201,),
                          json={"title": title, "body": body, **fields})

    def list_issues(self, owner: str, repo: str, **filters: Any) -> list[dict]:
        """``filters``: state (open/closed/all), labels, milestones, q, type, created_by,
        assigned_by, mentioned_by, since, before (comma-separated where plural)."""
        return list(self._pages(f"{self._repo(owner, repo)}/issues", filters))

    def get_issue(self, owner: str, repo: str, number: int) -> dict:
        return self._json("GET", f"{self._repo(owner, repo)}/issues/{number}")

    def update_issue(self, owner: str, repo: str, number: int, **fields: Any) -> dict:
        """``fields``: title, body, state, assignees, milestone, due_date, unset_due_date.
        Gitea answers an issue edit with 201."""
        return self._json("PATCH", f"{self._repo(owner, repo)}/issues/{number}", expect=(201,),
                          json=fields)

    def close_issue(self, owner: str, repo: str, number: int) -> dict:
        return self.update_issue(owner, repo, number, state="closed")

    def reopen_issue(self, owner: str, repo: str, number: int) -> dict:
        return self.update_issue(owner, repo, number, state="open")

    def delete_issue(self, owner: str, repo: str, number: int) -> None:
        """Repository administrators only."""
        self._request("DELETE", f"{self._repo(owner, repo)}/issues/{number}", expect=(204,))

    # --- the labels on an issue ---------------------------------------------------------------

    def get_issue_labels(self, owner: str, repo: str, number: int) -> list[dict]:
        return self._json("GET", f"{self._repo(owner, repo)}/issues/{number}/labels")

    def add_issue_labels(self, owner: str, repo: str, number: int, labels: list) -> list[dict]:
        """``labels``: ids or names (not both). Answers the issue's labels."""
        return self._json("POST", f"{self._repo(owner, repo)}/issues/{number}/labels",
                          json={"labels": labels})

    def replace_issue_labels(self, owner: str, repo: str, number: int, labels: list) -> list[dict]:
        return self._json("PUT", f"{self._repo(owner, repo)}/issues/{number}/labels",
                          json={"labels": labels})

    def remove_issue_label(self, owner: str, repo: str, number: int, label_id: int) -> None:
        self._request("DELETE", f"{self._repo(owner, repo)}/issues/{number}/labels/{label_id}",
                      expect=(204,))

    def clear_issue_labels(self, owner: str, repo: str, number: int) -> None:
        self._request("DELETE", f"{self._repo(owner, repo)}/issues/{number}/labels", expect=(204,))

    # --- comments -------------------------------------------------------------------------------

    def add_comment(self, owner: str, repo: str, number: int, body: str) -> dict:
        print(f"Commenting on #{number}...")
        return self._json("POST", f"{self._repo(owner, repo)}/issues/{number}/comments",
                          expect=(201,), json={"body": body})

    def list_comments(self, owner: str, repo: str, number: int, **window: str) -> list[dict]:
        """``window``: since / before (RFC 3339)."""
        return self._json("GET", f"{self._repo(owner, repo)}/issues/{number}/comments",
                          params=window)

    def list_repo_comments(self, owner: str, repo: str, **window: str) -> list[dict]:
        return list(self._pages(f"{self._repo(owner, repo)}/issues/comments", window))

    def get_comment(self, owner: str, repo: str, comment_id: int) -> dict:
        return self._json("GET", f"{self._repo(owner, repo)}/issues/comments/{comment_id}")

    def edit_comment(self, owner: str, repo: str, comment_id: int, body: str) -> dict:
        return self._json("PATCH", f"{self._repo(owner, repo)}/issues/comments/{comment_id}",
                          json={"body": body})

    def delete_comment(self, owner: str, repo: str, comment_id: int) -> None:
        self._request("DELETE", f"{self._repo(owner, repo)}/issues/comments/{comment_id}",
                      expect=(204,))


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    print(f"  ok: {what}")


def _expect_error(status: int, what: str, call, *args, **kwargs) -> None:
    try:
        call(*args, **kwargs)
    except PlueAPIError as error:
        _check(error.status == status, f"{what} ({error.status}: {error.message})")
        return
    raise AssertionError(f"{what}: the call succeeded")


def exercise(api: IssueAPI, owner: str, repo: str) -> dict:
    """Call every endpoint once, checking each answer; returns what was created."""
    summary: dict[str, Any] = {"repository": f"{owner}/{repo}"}

    print("Testing label endpoints...")
    bug = api.create_label(owner, repo, "bug", "#ff0000", "Something isn't working")
    _check(bug["color"] == "ff0000", f"label {bug['id']} created, colour normalised to ff0000")
    docs = api.create_label(owner, repo, "docs", "0af")
    _check(docs["color"] == "00aaff", "a three-digit colour is expanded")
    _expect_error(422, "an invalid colour is refused", api.create_label, owner, repo, "x", "red")
    _check(api.get_label(owner, repo, "bug")["id"] == bug["id"], "a label can be fetched by name")
    edited = api.edit_label(owner, repo, docs["id"], description="Documentation")
    _check(edited["description"] == "Documentation", "label edited")
    _check([l["name"] for l in api.list_labels(owner, repo)] == ["bug", "docs"], "labels listed")
    summary["label_id"] = bug["id"]

    print("Testing milestone endpoints...")
    milestone = api.create_milestone(owner, repo, "v1.0", description="First release",
                                     due_on="2030-06-30T00:00:00Z")
    _check(milestone["state"] == "open", f"milestone {milestone['id']} created")
    summary["milestone_id"] = milestone["id"]

    print("Testing issue creation...")
    issue = api.create_issue(owner, repo, "Test Issue", "This is a test issue",
                             labels=[bug["id"]], milestone=milestone["id"])
    number = issue["number"]
    _check(issue["state"] == "open" and [l["id"] for l in issue["labels"]] == [bug["id"]],
           f"issue #{number} opened with the label")
    second = api.create_issue(owner, repo, "Second issue", "Needs @nobody-in-particular")
    _check(second["number"] == number + 1, "numbers follow each other")
    _check(api.get_issue(owner, repo, number)["milestone"]["open_issues"] == 1,
           "the milestone counts the open issue")
    _check([i["number"] for i in api.list_issues(owner, repo, labels="bug")] == [number],
           "the labels filter finds it")
    _expect_error(422, "a missing title is refused", api.create_issue, owner, repo, "")
    _expect_error(404, "a missing issue is 404", api.get_issue, owner, repo, 999999)

    print("Testing issue labels...")
    labels = api.add_issue_labels(owner, repo, number, ["docs"])
    _check([l["name"] for l in labels] == ["bug", "docs"], "a label added by name")
    api.remove_issue_label(owner, repo, number, docs["id"])
    labels = api.replace_issue_labels(owner, repo, second["number"], [docs["id"]])
    _check([l["name"] for l in labels] == ["docs"], "labels replaced by id")
    api.clear_issue_labels(owner, repo, second["number"])
    _check(api.get_issue_labels(owner, repo, second["number"]) == [], "labels cleared")

    print("Testing comment creation...")
    comment = api.add_comment(owner, repo, number, "This is a test comment")
    _check(comment["body"] == "This is a test comment", f"comment {comment['id']} added")
    _check(api.edit_comment(owner, repo, comment["id"], "Edited")["body"] == "Edited",
           "comment edited")
    _check([c["id"] for c in api.list_comments(owner, repo, number)] == [comment["id"]],
           "the issue lists its comment")
    extra = api.add_comment(owner, repo, second["number"], "to be deleted")
    api.delete_comment(owner, repo, extra["id"])
    _expect_error(404, "a deleted comment is gone", api.get_comment, owner, repo, extra["id"])
    _check([c["id"] for c in api.list_repo_comments(owner, repo)] == [comment["id"]],
           "the repository lists its comments")
    summary["comment_id"] = comment["id"]

    print("Testing issue update...")
    closed = api.close_issue(owner, repo, number)
    _check(closed["state"] == "closed" and closed["closed_at"], "issue closed, closed_at set")
    _check(api.get_milestone(owner, repo, milestone["id"])["closed_issues"] == 1,
           "the milestone counts the closed issue")
    _check([i["number"] for i in api.list_issues(owner, repo, state="closed")] == [number],
           "the closed filter finds it")
    _check(api.reopen_issue(owner, repo, number)["closed_at"] is None, "issue reopened")
    api.close_issue(owner, repo, number)
    renamed = api.update_issue(owner, repo, second["number"], title="Renamed", body="Updated")
    _check(renamed["title"] == "Renamed", "issue edited")
    _check(api.get_repository(owner, repo)["open_issues_count"] == 1,
           "the repository counts one open issue")
    api.delete_issue(owner, repo, second["number"])
    _expect_error(404, "a deleted issue is gone", api.get_issue, owner, repo, second["number"])
    summary["issue_number"] = number
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", help="owner/name of an existing repository to use")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch repository (and what was made in it)")
    args = parser.parse_args(argv)
    try:
        api = IssueAPI()
        scratch = args.repo is None
        if scratch:
            me = api.get_current_user()
            repository = api.create_repository(f"sdk-issues-{uuid.uuid4().hex[:8]}",
                                               description="made by issue_management.py")
            owner, repo = me["login"], repository["name"]
        else:
            owner, _, repo = args.repo.partition("/")
        summary = exercise(api, owner, repo)
        if scratch and not args.keep:
            api.delete_repository(owner, repo)
            summary["deleted_repository"] = True
    except (PlueAPIError, AssertionError, ValueError, requests.RequestException) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print("✅ Issue endpoints test passed!")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
