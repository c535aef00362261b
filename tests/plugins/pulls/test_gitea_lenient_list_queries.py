"""/api/v1 lists read ``page``, ``limit`` and ``state`` as Gitea does, so a client written
against Gitea is not refused for a value Gitea tolerates: ``ctx.FormInt`` reads an unparsable
integer as 0 (page 1, the default page size); the pull list filters on open/closed only
(anything else lists every state); the issue and milestone lists read anything else as open.
The other families keep refusing such values (tests/e2e/test_seed_family_errors.py)."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core.list_query import form_int, list_state
from plue_core.pagination import Page

SETTINGS = {"default_limit": 30, "max_limit": 50}


def _req(query: str):
    return falcon.testing.create_req(path="/api/v1/x", query_string=query)


@pytest.mark.parametrize("query, value", [
    ("", 0), ("page=", 0), ("page=x", 0), ("page=1e3", 0), ("page=2.0", 0), ("page=%202", 0),
    ("page=%C2%B2", 0), ("page=0x10", 0), ("page=1_0", 0),  # strconv.Atoi refuses all these
    ("page=7", 7), ("page=%2B7", 7), ("page=-7", -7), ("page=007", 7),
    ("page=99999999999999999999", 2 ** 63 - 1), ("page=-99999999999999999999", -2 ** 63),
])
def test_form_int_reads_a_value_as_gitea_s_form_int(query, value):
    assert form_int(_req(query), "page") == value


@pytest.mark.parametrize("query, page, limit", [
    ("page=x", 1, 30), ("limit=x", 1, 30), ("page=x&limit=y", 1, 30), ("page=%2B2&limit=5", 2, 5),
    ("limit=1e3", 1, 30), ("limit=500", 1, 50),
])
def test_a_page_that_is_no_integer_is_page_one_at_the_default_size(query, page, limit):
    assert Page.from_request(_req(query), SETTINGS) == Page(page, limit)


@pytest.mark.parametrize("query, otherwise, state", [
    ("", "all", "open"), ("state=", "all", "open"), ("state=closed", "all", "closed"),
    ("state=bogus", "all", "all"), ("state=OPEN", "all", "all"), ("state=bogus", "open", "open"),
    ("state=all", "open", "all"),
])
def test_list_state_reads_an_unknown_state_as_the_list_says(query, otherwise, state):
    assert list_state(_req(query), otherwise=otherwise) == state


@pytest.fixture
def listed(forge):
    """alice/project: pull 1 open, pull 2 closed, issues 3 (open) and 4 (closed); milestones
    v1 (open) and v2 (closed)."""
    opened = forge.feature_pull(branch="one")
    closed = forge.feature_pull(branch="two")
    forge.patch(f"/repos/alice/project/pulls/{closed['number']}", {"state": "closed"})
    issues = [forge.post("/repos/alice/project/issues", {"title": title}).json
              for title in ("open one", "closed one")]
    forge.patch(f"/repos/alice/project/issues/{issues[1]['number']}", {"state": "closed"})
    for title, state in (("v1", "open"), ("v2", "closed")):
        milestone = forge.post("/repos/alice/project/milestones", {"title": title}).json
        forge.patch(f"/repos/alice/project/milestones/{milestone['id']}", {"state": state})
    return forge, opened["number"], closed["number"], [i["number"] for i in issues]


def _get(forge, path: str, **params):
    response = forge.get(f"/repos/alice/project/{path}", params=params)
    assert response.status_code == 200, response.text
    return response


def test_an_unknown_pull_state_lists_every_pull_as_gitea(listed):
    forge, opened, closed, _ = listed
    numbers = [p["number"] for p in _get(forge, "pulls", state="bogus").json]
    assert numbers == [closed, opened]
    assert [p["number"] for p in _get(forge, "pulls").json] == [opened]  # absent: open


def test_an_unknown_issue_or_milestone_state_is_open_as_gitea(listed):
    forge, _, _, (open_issue, _) = listed
    issues = _get(forge, "issues", state="bogus", type="issues").json
    assert [i["number"] for i in issues] == [open_issue]
    assert [m["title"] for m in _get(forge, "milestones", state="bogus").json] == ["v1"]


def test_an_unparsable_page_is_the_first_page_and_limit_the_default(listed):
    forge, _, _, _ = listed
    first = _get(forge, "issues", state="all", limit="1")
    assert [i["number"] for i in _get(forge, "issues", state="all", limit="1", page="x").json] == \
        [i["number"] for i in first.json]
    everything = _get(forge, "issues", state="all", limit="x", page="")
    assert len(everything.json) == int(everything.headers["X-Total-Count"]) == 4
    second = _get(forge, "issues", state="all", limit="1", page="+2")  # Atoi takes a sign
    assert second.json != first.json and 'rel="prev"' in second.headers["Link"]
    assert _get(forge, "pulls", state="all", page="two", limit="1e3").json  # not a 400
    # Past 64 bits Atoi answers its largest integer: a page past every row, empty.
    assert _get(forge, "issues", state="all", page="99999999999999999999").json == []


def test_git_trees_read_page_and_per_page_as_gitea(listed):
    forge, _, _, _ = listed
    everything = _get(forge, "git/trees/one").json
    assert everything["total_count"] == 2 and everything["page"] == 1
    for params in ({"page": "x"}, {"per_page": "x"}, {"page": "-1", "per_page": "0"},
                   {"per_page": "100000"}):
        tree = _get(forge, "git/trees/one", **params).json
        assert tree["page"] == 1 and tree["tree"] == everything["tree"], params
    assert [e["path"] for e in _get(forge, "git/trees/one", per_page="1", page="2").json["tree"]] \
        == [everything["tree"][1]["path"]]
