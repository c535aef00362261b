"""A pull request's ``diff_url`` and ``patch_url`` (``/{owner}/{repo}/pulls/{n}.diff|.patch``
on the site, as Gitea serves them) open to whoever may read the pull request, and are the
same text as the API's ``/pulls/{n}.diff|.patch``."""

from __future__ import annotations


def test_a_pulls_diff_and_patch_urls_open_as_its_api_text(site):
    pull = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "Add the feature"}).json
    browser = site.browser()
    for key, kind in (("diff_url", "diff"), ("patch_url", "patch")):
        page = browser.get("/" + pull[key].split("/", 3)[3])
        assert page.status_code == 200, (key, page.text[:200])
        assert page.headers["content-type"].startswith("text/plain")
        assert page.text == site.get(f"/repos/alice/code/pulls/1.{kind}").text
    assert "+only on the branch" in browser.get("/alice/code/pulls/1.diff").text
    assert browser.get("/alice/code/pulls/1.patch").text.startswith("From ")


def test_another_format_or_a_missing_pull_is_not_found(site):
    site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main", "title": "T"})
    browser = site.browser()
    assert browser.get("/alice/code/pulls/1.tar").status_code == 404
    assert browser.get("/alice/code/pulls/9.diff").status_code == 404
    assert browser.get("/alice/code/pulls/x.diff").status_code == 404


def test_a_private_repositorys_pull_diff_is_not_found_to_a_stranger(site):
    assert site.post("/repos/alice/vault/branches", {"new_branch_name": "side"}).status_code == 201
    site.add_files("alice/vault", {"a.txt": b"a\n"}, branch="side", message="side")
    pull = site.post("/repos/alice/vault/pulls", {"head": "side", "base": "main", "title": "S"})
    assert pull.status_code == 201, pull.text
    assert site.browser().get("/alice/vault/pulls/1.diff").status_code == 404
    assert site.browser("alice").get("/alice/vault/pulls/1.diff").status_code == 200
