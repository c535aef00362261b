"""What the slow pages no longer redo per request (issue 15, p50 ≤ 30 ms; bench/web_pages.py
measures it): a commit's diff and two commits' comparison read and rendered once per view, a
page of a commit's history and a pull request's commits listed once for the commits they
name, the session and the viewer's organizations found by queries compiled once. A new
commit is a new key: never a stale page."""

from __future__ import annotations

from plue_core.db import connection

from plue_git_hosting.reading import RepositoryReader


def _counting(monkeypatch, cls, name: str) -> list:
    calls = []
    original = getattr(cls, name)

    def counting(*args, **kwargs):
        calls.append(args[1:])
        return original(*args, **kwargs)

    monkeypatch.setattr(cls, name, counting)
    return calls


def _head(site, branch: str = "main") -> str:
    return site.get(f"/repos/alice/code/branches/{branch}").json["commit"]["id"]


def test_a_commits_diff_is_read_and_rendered_once_per_view(site, monkeypatch):
    reads = _counting(monkeypatch, RepositoryReader, "changes")
    browser, sha = site.browser("alice"), _head(site)
    first = browser.get(f"/alice/code/commit/{sha}").text
    assert "src/main.py" in first and "return &#39;hello&#39;" in first
    assert browser.get(f"/alice/code/commit/{sha}").text == first
    assert browser.get(f"/alice/code/commit/{sha[:10]}").text == first  # the same commit
    assert len(reads) == 1
    split = browser.get(f"/alice/code/commit/{sha}?style=split").text
    assert 'class="diff-table split"' in split and len(reads) == 2
    site.add_files("alice/code", {"src/changed.py": b"changed = True\n"}, message="Change")
    changed = browser.get(f"/alice/code/commit/{_head(site)}").text
    assert "changed = True" in changed and len(reads) == 3


def test_a_comparison_is_walked_and_read_once_and_follows_a_push(site, monkeypatch):
    reads = _counting(monkeypatch, RepositoryReader, "compare")
    walks = _counting(monkeypatch, RepositoryReader, "commits_between")
    browser = site.browser("alice")
    first = browser.get("/alice/code/compare/main...feature/x").text
    assert "only on the branch" in first and "Work on the feature" in first
    assert browser.get("/alice/code/compare/main...feature/x").text == first
    assert len(reads) == 1 and len(walks) == 1
    site.add_files("alice/code", {"more.txt": b"another line\n"}, branch="feature/x",
                   message="One more")
    again = browser.get("/alice/code/compare/main...feature/x").text
    assert "another line" in again and "One more" in again
    assert len(reads) == 2 and len(walks) == 2


def test_a_history_page_is_walked_once_per_commit(site, monkeypatch):
    walks = _counting(monkeypatch, RepositoryReader, "history")
    browser = site.browser("alice")
    first = browser.get("/alice/code/commits/branch/main").text
    assert "Add the code" in first
    assert browser.get("/alice/code/commits/branch/main").text == first
    assert len(walks) == 1
    site.add_files("alice/code", {"late.txt": b"late\n"}, message="Arrive late")
    assert "Arrive late" in browser.get("/alice/code/commits/branch/main").text
    assert len(walks) == 2


def test_a_pull_requests_commits_are_listed_once_per_head(site, monkeypatch):
    assert site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "The feature"}).status_code == 201
    pulls = type(site.ctx.services["pulls"])
    listings = _counting(monkeypatch, pulls, "commit_shas")
    browser = site.browser("alice")
    first = browser.get("/alice/code/pulls/1/commits").text
    assert "Work on the feature" in first
    assert browser.get("/alice/code/pulls/1/commits").text == first
    assert len(listings) == 1
    site.add_files("alice/code", {"second.txt": b"2\n"}, branch="feature/x",
                   message="A second step")
    site.get("/repos/alice/code/pulls/1")  # the API checks the pull request again
    page = browser.get("/alice/code/pulls/1/commits").text
    assert "A second step" in page and "Work on the feature" in page


def test_the_organizations_of_a_user_are_those_of_any_of_their_teams(site):
    for org in ("acme", "beta"):
        assert site.post("/orgs", {"username": org}).status_code == 201
    devs = site.post("/orgs/acme/teams", {"name": "devs", "permission": "write"}).json
    assert site.put(f"/teams/{devs['id']}/members/oscar", {}).status_code == 204
    accounts = site.ctx.services["accounts"]
    with connection(site.ctx.db):
        ids = {name: accounts.find_account(name).id for name in ("acme", "beta", "oscar",
                                                                       "alice", "root")}
        assert accounts.org_ids_of_user(ids["alice"]) == {ids["acme"], ids["beta"]}
        assert accounts.org_ids_of_user(ids["oscar"]) == {ids["acme"]}
        assert accounts.org_ids_of_user(ids["root"]) == set()


def test_the_front_page_lists_what_an_organization_reaches(site):
    # The front page's lists filter by the viewer's repositories, compiled once for its
    # queries: an organization's repository is there, reached through a team.
    assert site.post("/orgs", {"username": "acme"}).status_code == 201
    assert site.post("/orgs/acme/repos", {"name": "tools", "private": True}).status_code == 201
    devs = site.post("/orgs/acme/teams", {"name": "devs", "permission": "write",
                                          "includes_all_repositories": True}).json
    assert site.put(f"/teams/{devs['id']}/members/oscar", {}).status_code == 204
    assert site.post("/repos/acme/tools/issues", {"title": "Sharpen the saw"}).status_code == 201
    oscar = site.browser("oscar").get("/").text
    assert "Sharpen the saw" in oscar and "acme/tools" in oscar
    assert "Sharpen the saw" not in site.browser("root").get("/").text  # reaches none of it


def test_a_comparison_names_the_open_pull_request_of_its_branches_only(site):
    # The pulls service's open_pull_for, compiled once: the same branches in the same
    # repository, open; other branches or a closed one are not it.
    browser = site.browser("alice")
    assert "A pull request for these branches is open" not in \
        browser.get("/alice/code/compare/main...feature/x").text
    assert site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "The feature"}).status_code == 201
    page = browser.get("/alice/code/compare/main...feature/x").text
    assert 'A pull request for these branches is open: <a href="/alice/code/pulls/1">' \
           'The feature #1</a>' in page
    assert "A pull request for these branches is open" not in \
        browser.get("/alice/code/compare/feature/x...main").text
    site.patch("/repos/alice/code/pulls/1", {"state": "closed"})
    assert "A pull request for these branches is open" not in \
        browser.get("/alice/code/compare/main...feature/x").text
