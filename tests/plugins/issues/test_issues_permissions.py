"""Who may do what, endpoint by endpoint, on a public and a private repository.

Roles, in this order: anonymous, oscar (no relation), rita (read collaborator), wanda (write
collaborator), alice (the owner, so admin), root (site administrator). Gitea's rules: any
signed-in user who can read a repository may open issues and comment; labels, milestones,
issue labels, assignments and other people's issues and comments need write; deleting an
issue needs admin. A private repository is 404 to whoever cannot read it.
"""

from __future__ import annotations

import pytest

ROLES = (None, "oscar", "rita", "wanda", "alice", "root")


def _issue(t, repo):
    return t.issue(repo)["number"]


def _comment(t, repo):
    return t.comment(t.issue(repo)["number"], repo=repo)["id"]


def _label(t, repo):
    return t.label(repo)["id"]


def _milestone(t, repo):
    return t.milestone(repo)["id"]


def _issue_and_label(t, repo):
    return t.issue(repo)["number"], t.label(repo)["id"]


# (name, setup as alice, request as the role) -> the request returns a response
OPERATIONS = {
    "list issues": (None, lambda t, r, role, _: t.get(f"/repos/{r}/issues", as_user=role)),
    "get issue": (_issue, lambda t, r, role, n: t.get(f"/repos/{r}/issues/{n}", as_user=role)),
    "create issue": (None, lambda t, r, role, _: t.post(f"/repos/{r}/issues", {"title": "x"}, as_user=role)),
    "edit issue": (_issue, lambda t, r, role, n: t.patch(f"/repos/{r}/issues/{n}", {"title": "y"}, as_user=role)),
    "delete issue": (_issue, lambda t, r, role, n: t.delete(f"/repos/{r}/issues/{n}", as_user=role)),
    "list comments": (_issue, lambda t, r, role, n: t.get(f"/repos/{r}/issues/{n}/comments", as_user=role)),
    "repository comments": (None, lambda t, r, role, _: t.get(f"/repos/{r}/issues/comments", as_user=role)),
    "create comment": (_issue, lambda t, r, role, n: t.post(f"/repos/{r}/issues/{n}/comments",
                                                            {"body": "hi"}, as_user=role)),
    "get comment": (_comment, lambda t, r, role, c: t.get(f"/repos/{r}/issues/comments/{c}", as_user=role)),
    "edit comment": (_comment, lambda t, r, role, c: t.patch(f"/repos/{r}/issues/comments/{c}",
                                                             {"body": "edited"}, as_user=role)),
    "delete comment": (_comment, lambda t, r, role, c: t.delete(f"/repos/{r}/issues/comments/{c}",
                                                                as_user=role)),
    "list labels": (None, lambda t, r, role, _: t.get(f"/repos/{r}/labels", as_user=role)),
    "get label": (_label, lambda t, r, role, i: t.get(f"/repos/{r}/labels/{i}", as_user=role)),
    "create label": (None, lambda t, r, role, _: t.post(f"/repos/{r}/labels",
                                                        {"name": "n", "color": "fff"}, as_user=role)),
    "edit label": (_label, lambda t, r, role, i: t.patch(f"/repos/{r}/labels/{i}", {"name": "m"}, as_user=role)),
    "delete label": (_label, lambda t, r, role, i: t.delete(f"/repos/{r}/labels/{i}", as_user=role)),
    "get issue labels": (_issue, lambda t, r, role, n: t.get(f"/repos/{r}/issues/{n}/labels", as_user=role)),
    "add issue labels": (_issue_and_label, lambda t, r, role, x: t.post(
        f"/repos/{r}/issues/{x[0]}/labels", {"labels": [x[1]]}, as_user=role)),
    "replace issue labels": (_issue_and_label, lambda t, r, role, x: t.put(
        f"/repos/{r}/issues/{x[0]}/labels", {"labels": [x[1]]}, as_user=role)),
    "remove issue label": (_issue_and_label, lambda t, r, role, x: t.delete(
        f"/repos/{r}/issues/{x[0]}/labels/{x[1]}", as_user=role)),
    "clear issue labels": (_issue, lambda t, r, role, n: t.delete(f"/repos/{r}/issues/{n}/labels", as_user=role)),
    "add assignees": (_issue, lambda t, r, role, n: t.post(f"/repos/{r}/issues/{n}/assignees",
                                                           {"assignees": ["wanda"]}, as_user=role)),
    "remove assignees": (_issue, lambda t, r, role, n: t.delete(f"/repos/{r}/issues/{n}/assignees",
                                                                {"assignees": ["wanda"]}, as_user=role)),
    "list milestones": (None, lambda t, r, role, _: t.get(f"/repos/{r}/milestones", as_user=role)),
    "get milestone": (_milestone, lambda t, r, role, i: t.get(f"/repos/{r}/milestones/{i}", as_user=role)),
    "create milestone": (None, lambda t, r, role, _: t.post(f"/repos/{r}/milestones", {"title": "m"},
                                                            as_user=role)),
    "edit milestone": (_milestone, lambda t, r, role, i: t.patch(f"/repos/{r}/milestones/{i}",
                                                                 {"title": "n"}, as_user=role)),
    "delete milestone": (_milestone, lambda t, r, role, i: t.delete(f"/repos/{r}/milestones/{i}",
                                                                    as_user=role)),
}

READ = (200, 200, 200, 200, 200, 200)
OPEN_TO_SIGNED_IN = (401, 201, 201, 201, 201, 201)
WRITERS = {"200": (401, 403, 403, 200, 200, 200), "201": (401, 403, 403, 201, 201, 201),
           "204": (401, 403, 403, 204, 204, 204)}
PUBLIC = {
    "list issues": READ, "get issue": READ, "create issue": OPEN_TO_SIGNED_IN,
    "edit issue": WRITERS["201"], "delete issue": (401, 403, 403, 403, 204, 204),
    "list comments": READ, "repository comments": READ, "create comment": OPEN_TO_SIGNED_IN,
    "get comment": READ, "edit comment": WRITERS["200"], "delete comment": WRITERS["204"],
    "list labels": READ, "get label": READ, "create label": WRITERS["201"],
    "edit label": WRITERS["200"], "delete label": WRITERS["204"], "get issue labels": READ,
    "add issue labels": WRITERS["200"], "replace issue labels": WRITERS["200"],
    "remove issue label": WRITERS["204"], "clear issue labels": WRITERS["204"],
    "add assignees": WRITERS["201"], "remove assignees": WRITERS["200"],
    "list milestones": READ, "get milestone": READ, "create milestone": WRITERS["201"],
    "edit milestone": WRITERS["200"], "delete milestone": WRITERS["204"],
}


def private_expectation(public: tuple) -> tuple:
    """Outsiders do not see a private repository at all: reads and writes are 404 for
    anonymous callers (the repository is resolved before credentials are asked, as Gitea's
    repoAssignment) and for oscar."""
    _anonymous, _oscar, *rest = public
    return (404, 404, *rest)


def observe(tracker, repo: str, operation: str) -> tuple:
    setup, request = OPERATIONS[operation]
    statuses = []
    for role in ROLES:
        target = setup(tracker, repo) if setup else None
        statuses.append(request(tracker, repo, role, target).status_code)
    return tuple(statuses)


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_permission_matrix_on_a_public_repository(tracker, operation):
    assert observe(tracker, "alice/tracker", operation) == PUBLIC[operation]


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_permission_matrix_on_a_private_repository(tracker, operation):
    assert observe(tracker, "alice/vault", operation) == private_expectation(PUBLIC[operation])


def test_the_poster_may_edit_their_own_issue_and_comment_without_write(tracker):
    number = tracker.issue(as_user="oscar")["number"]
    comment = tracker.comment(number, as_user="oscar")
    assert tracker.patch(f"/repos/alice/tracker/issues/{number}", {"title": "mine"},
                         as_user="oscar").status_code == 201
    assert tracker.patch(f"/repos/alice/tracker/issues/comments/{comment['id']}", {"body": "m"},
                         as_user="oscar").status_code == 200
    assert tracker.delete(f"/repos/alice/tracker/issues/{number}", as_user="oscar").status_code == 403


def test_a_private_repository_answers_outsiders_exactly_like_a_missing_one(tracker):
    tracker.issue("alice/vault")
    for path in ("/issues/1", "/labels", "/issues/1/comments", "/milestones"):
        hidden = tracker.get(f"/repos/alice/vault{path}", as_user="oscar")
        missing = tracker.get(f"/repos/alice/nothing{path}", as_user="oscar")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json["message"].replace("vault", "?") == missing.json["message"].replace("nothing", "?")


# --- token scopes ------------------------------------------------------------------------------


def test_token_scopes_follow_giteas_issue_category(tracker):
    read_only = tracker.token("wanda", "read:issue")
    issue_writer = tracker.token("wanda", "write:issue")
    repository_only = tracker.token("wanda", "write:repository")
    assert tracker.get("/repos/alice/vault/issues", as_user=read_only).status_code == 200
    refused = tracker.post("/repos/alice/vault/issues", {"title": "x"}, as_user=read_only)
    assert refused.status_code == 403 and "write:issue" in refused.json["message"]
    # The issue scope reaches the private repository wanda may write to.
    assert tracker.post("/repos/alice/vault/issues", {"title": "x"}, as_user=issue_writer).status_code == 201
    wrong_area = tracker.get("/repos/alice/vault/issues", as_user=repository_only)
    assert wrong_area.status_code == 403 and "read:issue" in wrong_area.json["message"]


def test_org_labels_use_the_organization_scope(tracker):
    issue_token = tracker.token("alice", "write:issue")
    org_token = tracker.token("alice", "write:organization")
    assert tracker.post("/orgs/acme/labels", {"name": "x", "color": "fff"},
                        as_user=issue_token).status_code == 403
    assert tracker.post("/orgs/acme/labels", {"name": "x", "color": "fff"},
                        as_user=org_token).status_code == 201
