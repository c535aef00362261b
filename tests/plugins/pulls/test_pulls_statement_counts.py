"""What a pull request GET and a page of the pull list cost in SQL statements (13 and 14 while
pulls joined the issue table itself): the GET's issue comes from the issues service joined with
pulls' row in one statement, a page's issue rows from the issues service and its pull request
rows from pulls' own table, and the issue shape's ``pull_request`` part is answered from the
rows already loaded (no hook, no query), so neither grows with the seam between the two
plugins (the GET is one statement fewer). Who merged each, its review comment count and who is
asked to review it are one statement (three before), and a GET reads its repository with the
branch count its embedded body shows (a statement before)."""

from __future__ import annotations

import pytest

from plue_core.testing import recorded_statements


def _statements(forge, path: str, **params) -> list[str]:
    response = forge.get(path, params=params)  # warm: the mergeability check ran already
    assert response.status_code == 200, response.text
    with recorded_statements(forge.ctx.db) as executed:
        assert forge.get(path, params=params).status_code == 200
    return executed


@pytest.fixture
def three_pulls(forge):
    milestone = forge.post("/repos/alice/project/milestones", {"title": "v1"}).json
    label = forge.post("/repos/alice/project/labels", {"name": "bug", "color": "#ff0000"}).json
    for i in range(3):
        forge.commit("alice/project", "main", {f"f{i}.txt": f"{i}\n"}, new_branch=f"b{i}")
        forge.open_pull(head=f"b{i}", title=f"pr {i}", labels=[label["id"]],
                        milestone=milestone["id"], assignees=["wanda"])
    return label, milestone


def test_a_pull_request_get_costs_its_statements(forge, three_pulls):
    statements = _statements(forge, "/repos/alice/project/pulls/2")
    assert len(statements) == GET_STATEMENTS, "\n".join(statements)


def test_a_page_of_the_pull_list_costs_its_statements(forge, three_pulls):
    label, milestone = three_pulls
    plain = _statements(forge, "/repos/alice/project/pulls", limit="50")
    assert len(plain) == LIST_STATEMENTS, "\n".join(plain)
    filtered = _statements(forge, "/repos/alice/project/pulls", limit="50", state="all",
                           sort="recentupdate", labels=str(label["id"]),
                           milestone=str(milestone["id"]), poster="alice")
    assert len(filtered) == LIST_STATEMENTS + 1, "\n".join(filtered)  # the poster's account


def test_a_pull_request_get_reads_labels_and_assignees_with_its_issue(forge, three_pulls):
    """Two JSON columns of the issue's read (two statements fewer): rendered as the list's
    own reads of them render them, the labels by name, the assignees as assigned."""
    label, _ = three_pulls
    other = forge.post("/repos/alice/project/labels", {"name": "a-first", "color": "#00ff00"}).json
    response = forge.post("/repos/alice/project/issues/2/labels", {"labels": [other["id"]]})
    assert response.status_code == 200, response.text
    response = forge.post("/repos/alice/project/issues/2/assignees", {"assignees": ["alice"]})
    assert response.status_code == 201, response.text
    got = forge.get("/repos/alice/project/pulls/2")
    assert got.status_code == 200, got.text
    assert [item["name"] for item in got.json["labels"]] == ["a-first", "bug"]
    assert [user["login"] for user in got.json["assignees"]] == ["wanda", "alice"]
    listed = forge.get("/repos/alice/project/pulls", params={"limit": "50"}).json
    assert got.json == next(pull for pull in listed if pull["number"] == 2)


# Basic auth: the account with its login-lock counters, one statement (h73); the GET's
# repository is not read again for its body; the issue's labels and assignees come with it.
GET_STATEMENTS = 5
LIST_STATEMENTS = 10
