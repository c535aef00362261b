"""Comparing across forks on the web, at Gitea's addresses (``/compare/{base}...{owner}:{branch}``
and ``...{owner}/{repo}:{branch}``), the head repository chooser, and opening a pull request
from a fork on the compare page: the pulls service reads the head as the API's
``head: "owner:branch"``; a fork the viewer may not read is 404."""

from __future__ import annotations

import base64

import pytest


def _fork_with_work(site, private: bool = False) -> None:
    """oscar forks alice/code and commits ``fork.txt`` on a new branch ``fork-work``."""
    fork = site.post("/repos/alice/code/forks", {}, as_user="oscar")
    assert fork.status_code == 202, fork.text
    if private:
        assert site.patch("/repos/oscar/code", {"private": True},
                          as_user="oscar").status_code == 200
    assert site.post("/repos/oscar/code/branches", {"new_branch_name": "fork-work"},
                     as_user="oscar").status_code == 201
    body = {"message": "Work in the fork", "branch": "fork-work", "files": [
        {"operation": "create", "path": "fork.txt",
         "content": base64.b64encode(b"made in the fork\n").decode()}]}
    assert site.post("/repos/oscar/code/contents", body, as_user="oscar").status_code == 201


@pytest.fixture
def forked(site):
    _fork_with_work(site)
    return site


@pytest.mark.parametrize("head", ["oscar:fork-work", "oscar/code:fork-work"])
def test_comparing_with_a_forks_branch(forked, head):
    page = forked.browser().get(f"/alice/code/compare/main...{head}")
    assert page.status_code == 200, page.text
    assert "1 commit" in page.text and "Work in the fork" in page.text
    assert "+made in the fork" in page.text
    # The chooser: this repository and the fork, the fork chosen; the fork's branches.
    assert '<option value="alice/code">alice/code</option>' in page.text
    assert '<option value="oscar/code" selected>oscar/code</option>' in page.text
    assert '<option value="fork-work" selected>fork-work</option>' in page.text


def test_the_fork_chooser_leads_to_gitea_s_address(forked):
    browser = forked.browser()
    result = browser.get("/alice/code/compare",
                         params={"base": "main", "head": "fork-work", "head_repo": "oscar/code"})
    assert result.status_code == 303
    assert result.headers["location"].endswith("/alice/code/compare/main...oscar/code:fork-work")
    # A branch the chosen repository lacks (the list was the other one's): its default branch.
    assert forked.post("/repos/alice/code/branches",
                       {"new_branch_name": "after-the-fork"}).status_code == 201
    result = browser.get("/alice/code/compare", params={
        "base": "main", "head": "after-the-fork", "head_repo": "oscar/code"})
    assert result.headers["location"].endswith("/alice/code/compare/main...oscar/code:main")
    # Back to the repository itself: a plain branch.
    result = browser.get("/alice/code/compare",
                         params={"base": "main", "head": "feature/x", "head_repo": "alice/code"})
    assert result.headers["location"].endswith("/alice/code/compare/main...feature/x")


def test_opening_a_pull_request_from_a_fork(forked):
    browser = forked.browser("oscar")
    page = browser.get("/alice/code/compare/main...oscar:fork-work")
    assert 'id="new-pull"' in page.text and 'value="Work in the fork"' in page.text
    result = browser.post("/alice/code/compare/main...oscar:fork-work",
                          {"title": "From my fork", "body": "Have a look"})
    assert result.status_code == 303, result.text
    assert result.headers["location"].endswith("/alice/code/pulls/1")
    pull = forked.get("/repos/alice/code/pulls/1").json
    assert pull["head"]["repo"]["full_name"] == "oscar/code"
    assert pull["head"]["ref"] == "fork-work" and pull["base"]["ref"] == "main"
    assert pull["base"]["repo"]["full_name"] == "alice/code" and pull["mergeable"] is True
    conversation = browser.get("/alice/code/pulls/1")
    assert "oscar/code:fork-work" in conversation.text
    files = browser.get("/alice/code/pulls/1/files")
    assert "fork.txt" in files.text and "made in the fork" in files.text
    # The same fork branch again, under either spelling: the open pull request instead.
    for head in ("oscar:fork-work", "oscar/code:fork-work"):
        again = browser.get(f"/alice/code/compare/main...{head}")
        assert 'id="new-pull"' not in again.text and 'href="/alice/code/pulls/1"' in again.text


def test_the_web_and_the_api_refuse_the_same_heads(forked):
    browser = forked.browser("alice")
    for head, says in (("root:main", "no fork"), ("nobody:main", "does not exist"),
                       ("oscar/other:main", "no fork"), ("oscar:nope", "nope")):
        page = browser.get(f"/alice/code/compare/main...{head}")
        assert page.status_code == 404 and says in page.text, (head, page.text)
    api = forked.post("/repos/alice/code/pulls", {"head": "root:main", "base": "main",
                                                   "title": "t"})
    assert api.status_code == 404 and "no fork" in api.json["message"]


def test_a_private_fork_is_404_to_those_who_may_not_read_it(site):
    _fork_with_work(site, private=True)
    for browser in (site.browser(), site.browser("alice")):
        assert browser.get("/alice/code/compare/main...oscar:fork-work").status_code == 404
        assert browser.get("/alice/code/compare", params={
            "base": "main", "head": "fork-work", "head_repo": "oscar/code"}).status_code == 404
        chooser = browser.get("/alice/code/compare/main...feature/x")
        assert "oscar/code" not in chooser.text
    # alice may not open a pull request from it either (the API's answer, too).
    browser = site.browser("alice")
    browser.get("/alice/code/compare/main...feature/x")
    result = browser.post("/alice/code/compare/main...oscar:fork-work", {"title": "Sneaky"})
    assert result.status_code == 404
    assert site.get("/repos/alice/code/pulls", params={"state": "all"}).json == []
    # Its owner sees it and may open the pull request.
    owner = site.browser("oscar")
    assert owner.get("/alice/code/compare/main...oscar:fork-work").status_code == 200
    assert owner.post("/alice/code/compare/main...oscar:fork-work",
                      {"title": "Mine"}).status_code == 303


def test_a_fork_compares_with_its_parent(forked):
    """From the fork's side, the parent is among the head repositories (as Gitea allows)."""
    forked.add_files("alice/code", {"upstream.txt": b"upstream\n"}, message="Upstream work")
    page = forked.browser("oscar").get("/oscar/code/compare/main...alice:main")
    assert page.status_code == 200, page.text
    assert "Upstream work" in page.text
    assert '<option value="alice/code" selected>alice/code</option>' in page.text
