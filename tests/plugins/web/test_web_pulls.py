"""The pull request pages: the list, the conversation (with the branches and the merge state)
and the files changed, from the pull request's merge base to its head."""

from __future__ import annotations

import pytest


@pytest.fixture
def pull_site(site):
    response = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                     "title": "Add the feature",
                                                     "body": "Closes #2, **please**."})
    assert response.status_code == 201, response.text
    site.post("/repos/alice/code/issues", {"title": "A plain issue"})
    return site


def test_the_list_shows_pull_requests_and_not_issues(pull_site):
    page = pull_site.browser().get("/alice/code/pulls")
    assert page.status_code == 200
    assert 'href="/alice/code/pulls/1">Add the feature</a>' in page.text
    assert "A plain issue" not in page.text
    assert "Add the feature" not in pull_site.browser().get("/alice/code/issues").text


def test_the_conversation_shows_branches_state_and_body(pull_site):
    html_url = pull_site.get("/repos/alice/code/pulls/1").json["html_url"]
    page = pull_site.browser().get("/" + html_url.split("/", 3)[3])
    assert page.status_code == 200
    assert '<span class="branch">feature/x</span>' in page.text
    assert 'href="/alice/code/src/branch/main">main</a>' in page.text
    assert "<strong>please</strong>" in page.text
    assert 'href="/alice/code/issues/2"' in page.text


def test_the_files_changed_are_the_diff_from_the_merge_base(pull_site):
    page = pull_site.browser().get("/alice/code/pulls/1/files")
    assert page.status_code == 200
    assert "1 file changed" in page.text
    assert '<td class="num">1</td><td class="code">+only on the branch</td>' in page.text


def test_an_issue_address_and_a_pull_address_lead_to_their_own_kind(pull_site):
    browser = pull_site.browser()
    to_pull = browser.get("/alice/code/issues/1")
    assert to_pull.status_code == 302 and to_pull.headers["location"].endswith("/alice/code/pulls/1")
    to_issue = browser.get("/alice/code/pulls/2")
    assert to_issue.status_code == 302 and to_issue.headers["location"].endswith("/alice/code/issues/2")


def test_commenting_on_a_pull_request_returns_to_it(pull_site):
    browser = pull_site.browser("oscar")
    browser.get("/alice/code/pulls/1")
    result = browser.post("/alice/code/issues/1/comments", {"body": "Looks good"})
    assert result.status_code == 303 and result.headers["location"].endswith("/alice/code/pulls/1")
    assert "Looks good" in browser.get("/alice/code/pulls/1").text


def test_a_merged_pull_request_says_so(pull_site):
    merged = pull_site.post("/repos/alice/code/pulls/1/merge", {"Do": "merge"})
    assert merged.status_code == 200, merged.text
    page = pull_site.browser().get("/alice/code/pulls/1")
    assert '<span class="state merged">Merged</span>' in page.text and "merged" in page.text


def test_pull_pages_of_a_private_repository_are_404_to_strangers(site):
    site.post("/repos/alice/vault/branches", {"new_branch_name": "topic"})
    site.add_files("alice/vault", {"topic.txt": b"x\n"}, branch="topic")
    assert site.post("/repos/alice/vault/pulls", {"head": "topic", "base": "main",
                                                  "title": "Secret"}).status_code == 201
    for path in ("/alice/vault/pulls", "/alice/vault/pulls/1", "/alice/vault/pulls/1/files"):
        assert site.browser("oscar").get(path).status_code == 404
        assert site.browser().get(path).status_code == 404
        assert site.browser("alice").get(path).status_code == 200
