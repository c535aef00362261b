"""Gitea's wiki API: pages are commits by the caller in ``<name>.wiki.git``; bodies, paging,
status codes and access as Gitea's."""

from __future__ import annotations

import base64
import subprocess
import threading

WIKI = "/repos/alice/demo/wiki"


def encoded(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def decoded(text: str) -> str:
    return base64.b64decode(text).decode()


def git(path, *args) -> str:
    return subprocess.run(["git", "--git-dir", str(path), *args], capture_output=True,
                          text=True, check=True).stdout


def test_creating_a_page_commits_it_to_the_wiki_repository_as_the_caller(forge):
    response = forge.new_page("Home Page", "# Welcome\n", as_user="wanda")
    assert response.status_code == 201, response.text
    page = response.json
    assert list(page) == ["title", "html_url", "sub_url", "last_commit", "content_base64",
                          "commit_count", "sidebar", "footer"]
    assert (page["title"], page["sub_url"]) == ("Home Page", "Home-Page")
    assert page["html_url"].endswith("/alice/demo/wiki/Home-Page")
    assert decoded(page["content_base64"]) == "# Welcome\n"
    assert (page["commit_count"], page["sidebar"], page["footer"]) == (1, "", "")
    commit = page["last_commit"]
    assert list(commit) == ["sha", "author", "commiter", "message"]
    assert commit["message"] == 'Add "Home Page"\n'
    assert commit["author"]["name"] == "wanda" and commit["commiter"]["name"] == "wanda"
    assert commit["author"]["date"].endswith("Z")
    path = forge.wiki_path()
    assert path.name == "demo.wiki.git"
    assert git(path, "rev-parse", "master").strip() == commit["sha"]
    assert git(path, "show", "master:Home-Page.md") == "# Welcome\n"
    assert git(path, "log", "-1", "--format=%an").strip() == "wanda"
    subprocess.run(["git", "--git-dir", str(path), "fsck", "--strict"], check=True,
                   capture_output=True)


def test_a_page_is_read_with_the_wiki_s_sidebar_and_footer(forge):
    forge.new_page("Home", "home")
    forge.new_page("_Sidebar", "side")
    forge.new_page("_Footer", "foot")
    page = forge.get(f"{WIKI}/page/Home", as_user=None).json
    assert decoded(page["content_base64"]) == "home"
    assert (decoded(page["sidebar"]), decoded(page["footer"])) == ("side", "foot")
    escaped = forge.new_page("100% Free", "x").json
    assert escaped["sub_url"] == "100%25-Free"
    assert forge.get(f"{WIKI}/page/100%25-Free").json["title"] == "100% Free"


def test_an_existing_title_is_refused_as_gitea_does(forge):
    assert forge.new_page("Home", "one").status_code == 201
    again = forge.new_page("Home", "two")
    assert again.status_code == 400  # Gitea's IsErrWikiAlreadyExists
    assert again.json["message"] == "wiki page already exists [title: Home.md]"
    assert forge.get(f"{WIKI}/page/Home").json["commit_count"] == 1


def test_bad_input_is_a_400_and_missing_pages_a_404(forge):
    assert forge.post(f"{WIKI}/new", {"title": " ", "content_base64": ""}).status_code == 400
    assert forge.new_page("_edit", "x").json["message"] == "wiki title is reserved: _edit"
    bad = forge.post(f"{WIKI}/new", {"title": "T", "content_base64": "%%%"})
    assert (bad.status_code, bad.json["message"]) == (400, "invalid base64 encoding of content")
    assert forge.get(f"{WIKI}/page/Home").status_code == 404  # no wiki yet
    assert forge.get(f"{WIKI}/pages").status_code == 404
    forge.new_page("Home", "x")
    assert forge.get(f"{WIKI}/page/Nothing").status_code == 404
    assert forge.get(f"{WIKI}/revisions/Nothing").status_code == 404
    assert forge.delete(f"{WIKI}/page/Nothing").status_code == 404


def test_editing_renames_and_rewrites_in_one_commit(forge):
    forge.new_page("Draft", "v1")
    response = forge.patch(f"{WIKI}/page/Draft",
                           {"title": "Final Plan", "content_base64": encoded("v2")})
    assert response.status_code == 200, response.text
    assert response.json["sub_url"] == "Final-Plan"
    assert response.json["last_commit"]["message"] == 'Update "Final-Plan"\n'
    assert forge.get(f"{WIKI}/page/Draft").status_code == 404
    assert git(forge.wiki_path(), "ls-tree", "--name-only", "master").split() == ["Final-Plan.md"]
    same = forge.patch(f"{WIKI}/page/Final-Plan",
                       {"content_base64": encoded("v3"), "message": "typo"})
    assert decoded(same.json["content_base64"]) == "v3"
    assert same.json["commit_count"] == 2 and same.json["last_commit"]["message"] == "typo\n"


def test_deleting_a_page_is_a_commit_removing_its_file(forge):
    forge.new_page("Home", "x")
    forge.new_page("Gone", "y")
    assert forge.delete(f"{WIKI}/page/Gone").status_code == 204
    assert forge.get(f"{WIKI}/page/Gone").status_code == 404
    assert git(forge.wiki_path(), "log", "-1", "--format=%s").strip() == 'Delete page "Gone"'


def test_the_page_list_pages_over_the_tree_as_gitea_does(forge):
    for title in ("A", "B", "C"):
        forge.new_page(title, title)
    first = forge.get(f"{WIKI}/pages", query_string="limit=2")
    assert [page["title"] for page in first.json] == ["A", "B"]
    assert first.headers["X-Total-Count"] == "3"
    assert list(first.json[0]) == ["title", "html_url", "sub_url", "last_commit"]
    second = forge.get(f"{WIKI}/pages", query_string="limit=2&page=2")
    assert [page["title"] for page in second.json] == ["C"]
    assert len(forge.get(f"{WIKI}/pages", query_string="limit=1").json) == 3  # Gitea: <=1 is 30


def test_revisions_list_the_commits_that_changed_the_page(forge):
    forge.new_page("Home", "1")
    forge.new_page("Other", "x")
    forge.patch(f"{WIKI}/page/Home", {"content_base64": encoded("2")})
    body = forge.get(f"{WIKI}/revisions/Home").json
    assert list(body) == ["commits", "count"]
    assert body["count"] == 2
    assert [commit["message"] for commit in body["commits"]] == ['Update "Home"\n', 'Add "Home"\n']
    assert forge.get(f"{WIKI}/revisions/Home", query_string="page=2").json["commits"] == []


def test_access_follows_the_repository(forge):
    forge.new_page("Home", "x")
    forge.new_page("Home", "x", repo="alice/secret")
    assert forge.get("/repos/alice/secret/wiki/page/Home", as_user="oscar").status_code == 404
    assert forge.get("/repos/alice/secret/wiki/pages", as_user=None).status_code == 404
    assert forge.new_page("P", "x", as_user="rita").status_code == 403
    assert forge.new_page("P", "x", as_user="oscar").status_code == 403
    assert forge.new_page("P", "x", as_user=None).status_code == 401
    assert forge.delete(f"{WIKI}/page/Home", as_user="rita").status_code == 403
    assert forge.get(f"{WIKI}/page/Home", as_user="rita").status_code == 200


def test_a_repository_without_the_wiki_unit_has_no_wiki_api(forge):
    forge.new_page("Home", "x")
    assert forge.patch("/repos/alice/demo", {"has_wiki": False}).status_code == 200
    assert forge.get(f"{WIKI}/page/Home").status_code == 404
    assert forge.new_page("New", "x").status_code == 404


def test_an_archived_repository_refuses_wiki_writes(forge):
    forge.new_page("Home", "x")
    assert forge.patch("/repos/alice/demo", {"archived": True}).status_code == 200
    assert forge.new_page("New", "x").status_code == 423
    assert forge.patch(f"{WIKI}/page/Home", {"content_base64": ""}).status_code == 423
    assert forge.delete(f"{WIKI}/page/Home").status_code == 423
    assert forge.get(f"{WIKI}/page/Home").status_code == 200


def test_concurrent_edits_each_land_as_a_commit(forge):
    forge.new_page("Home", "start")
    client = forge.client
    errors = []

    def edit(n: int) -> None:
        for round_ in range(4):
            response = client.simulate_post(
                f"/api/v1{WIKI}/new", headers=forge.auth("alice"),
                json={"title": f"Page {n}-{round_}", "content_base64": encoded(str(n))})
            if response.status_code != 201:
                errors.append(response.text)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    path = forge.wiki_path()
    assert int(git(path, "rev-list", "--count", "master")) == 9  # Home and eight pages
    assert len(git(path, "ls-tree", "--name-only", "master").splitlines()) == 9


def test_each_write_sends_gitea_s_wiki_webhook(forge):
    from plue_webhooks.models import WebhookPayload

    hook = forge.post("/repos/alice/demo/hooks", {
        "type": "gitea", "config": {"url": "https://hooks.example.com/in", "content_type": "json"},
        "events": ["wiki"], "active": True})
    assert hook.status_code == 201, hook.text
    forge.new_page("Home", "x", as_user="wanda")
    forge.patch(f"{WIKI}/page/Home", {"content_base64": encoded("y"), "message": "better"})
    forge.delete(f"{WIKI}/page/Home")
    payloads = [row.body for row in WebhookPayload.select()
                .where(WebhookPayload.event == "wiki").order_by(WebhookPayload.id)]
    assert [(p["action"], p["page"], p["comment"]) for p in payloads] == [
        ("created", "Home", 'Add "Home"'), ("edited", "Home", "better"), ("deleted", "Home", "")]
    assert sorted(payloads[0]) == ["action", "comment", "page", "repository", "sender"]
    assert payloads[0]["sender"]["login"] == "wanda"
    assert payloads[0]["repository"]["full_name"] == "alice/demo"


def test_the_plugin_switched_off(build_app):
    import falcon.testing

    from plue_core.testing import basic_auth, make_user

    app = build_app(plugins={"disabled": ["wiki"]})
    make_user(app.plue, "alice")
    client = falcon.testing.TestClient(app)
    auth = basic_auth("alice")
    assert client.simulate_post("/api/v1/user/repos", json={"name": "demo"},
                                headers=auth).status_code == 201
    assert "wiki" not in app.plue.services
    assert client.simulate_get("/api/v1/repos/alice/demo/wiki/pages", headers=auth).status_code == 404
    refs = client.simulate_get("/alice/demo.wiki.git/info/refs",
                               query_string="service=git-receive-pack", headers=auth)
    assert refs.status_code == 404
