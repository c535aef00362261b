"""Creating a repository from the web, at Gitea's ``/repo/create``: for oneself or an
organization that lets one, with the API's rules (``CreateRepoOption``) and answers -- a
refused form is kept and nothing is created -- then on to the new repository's page."""

from __future__ import annotations


def test_a_signed_in_user_creates_a_repository_with_a_readme(site):
    browser = site.browser("alice")
    assert 'href="/repo/create"' in browser.get("/").text
    page = browser.get("/repo/create")
    assert page.status_code == 200 and '<option value="alice"' in page.text
    result = browser.post("/repo/create", {"owner": "alice", "repo_name": "fresh",
                                           "description": "Made on the web", "auto_init": "1",
                                           "private": "1", "default_branch": "trunk"})
    assert result.status_code == 303 and result.headers["location"] == "/alice/fresh"
    body = site.get("/repos/alice/fresh").json
    assert (body["description"], body["private"], body["default_branch"], body["empty"]) == \
        ("Made on the web", True, "trunk", False)
    home = browser.get("/alice/fresh")
    assert home.status_code == 200 and "README.md" in home.text


def test_an_organization_that_lets_its_member_is_offered_and_used(site):
    assert site.post("/orgs", {"username": "acme"}).status_code == 201
    browser = site.browser("alice")
    assert '<option value="acme"' in browser.get("/repo/create").text
    assert '<option value="acme"' not in site.browser("oscar").get("/repo/create").text
    result = browser.post("/repo/create", {"owner": "acme", "repo_name": "shared"})
    assert result.status_code == 303 and result.headers["location"] == "/acme/shared"
    assert site.get("/repos/acme/shared").json["empty"] is True


def test_refusals_keep_the_form_and_create_nothing(site):
    browser = site.browser("oscar")
    for fields, status, says in (
            ({"repo_name": "bad name!"}, 422, "name"),
            ({"repo_name": "code", "owner": "alice"}, 403, "alice"),
            ({"repo_name": "ok", "owner": "nobody-here"}, 422, "nobody-here"),
            ({"repo_name": "ok", "default_branch": "a..b"}, 422, "default_branch")):
        browser.get("/repo/create")
        result = browser.post("/repo/create", {"owner": "oscar", **fields})
        assert result.status_code == status, (fields, result.text)
        assert says in result.text and f'value="{fields["repo_name"]}"' in result.text
    site.post("/user/repos", {"name": "taken"}, as_user="oscar")
    browser.get("/repo/create")
    taken = browser.post("/repo/create", {"owner": "oscar", "repo_name": "taken"})
    assert taken.status_code == 409 and "already exists" in taken.text
    names = [repo["name"] for repo in site.get("/users/oscar/repos", as_user="oscar").json]
    assert names == ["taken"]


def test_signed_out_visitors_are_sent_to_sign_in(site):
    page = site.browser().get("/repo/create")
    assert page.status_code == 303 and "/user/login" in page.headers["location"]
