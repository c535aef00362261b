"""The repository pages at Gitea's paths: home (tree, README, clone URL, branches, last
commit), directories and files, raw files, history, a commit's diff, branches and tags — and
the one access rule: what a viewer may not see is a 404 page."""

from __future__ import annotations

import re

import pytest

from tests.plugins.web.conftest import PNG


def test_the_repository_home_shows_tree_readme_clone_url_and_last_commit(site):
    page = site.browser().get("/alice/code")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "Alice&#39;s code" in text  # the description, escaped
    assert 'value="http://' in text and "/alice/code.git" in text and 'data-copy="clone-url"' in text
    for name in ("README.md", "src/", "docs/", "data.bin"):
        assert f">{name}</a>" in text
    assert "<h1>Code</h1>" in text  # the README rendered
    assert 'href="/alice/code/issues/1"' in text and 'href="/oscar"' in text
    assert '<option value="/alice/code/src/branch/feature/x"' in text
    assert "Add the code" in text  # the last commit's summary


def test_the_html_url_of_the_api_resolves_to_the_page(site):
    html_url = site.get("/repos/alice/code").json["html_url"]
    path = "/" + html_url.split("/", 3)[3]
    assert site.browser().get(path).status_code == 200


def test_a_clone_url_opened_in_a_browser_goes_to_the_repository(site):
    page = site.browser().get("/alice/code.git")
    assert page.status_code == 301 and page.headers["location"].endswith("/alice/code")


def test_a_directory_lists_its_entries_with_breadcrumbs(site):
    page = site.browser().get("/alice/code/src/branch/main/src")
    assert page.status_code == 200
    assert 'href="/alice/code/src/branch/main/src/main.py">main.py</a>' in page.text
    assert '<a href="/alice/code/src/branch/main/src">src</a>' in page.text


def test_a_file_has_numbered_highlighted_lines_with_anchors_and_a_raw_link(site):
    page = site.browser().get("/alice/code/src/branch/main/src/main.py")
    assert page.status_code == 200
    assert '<tr id="L1"><td class="num"><a href="#L1">1</a>' in page.text
    assert '<tr id="L5">' in page.text and 'id="L6"' not in page.text
    assert '<span class="k">def</span>' in page.text  # Pygments' keyword class
    assert 'href="/alice/code/raw/branch/main/src/main.py"' in page.text


def test_a_branch_with_a_slash_and_a_tag_and_a_commit_are_browsable(site):
    browser = site.browser()
    assert "feature.txt" in browser.get("/alice/code/src/branch/feature/x").text
    assert browser.get("/alice/code/src/branch/feature/x/feature.txt").status_code == 200
    assert browser.get("/alice/code/src/tag/v1.0/README.md").status_code == 200
    sha = site.get("/repos/alice/code/branches/main").json["commit"]["id"]
    assert browser.get(f"/alice/code/src/commit/{sha}/src").status_code == 200
    assert browser.get(f"/alice/code/src/commit/{sha[:10]}/src/main.py").status_code == 200


def test_images_are_shown_and_binaries_offered_for_download(site):
    browser = site.browser()
    image = browser.get("/alice/code/src/branch/main/docs/picture.png")
    assert '<img src="/alice/code/raw/branch/main/docs/picture.png"' in image.text
    binary = browser.get("/alice/code/src/branch/main/data.bin")
    assert "A binary file" in binary.text and "<tr id=" not in binary.text


def test_a_file_past_the_highlight_limit_offers_its_raw_link(build_app):
    from tests.plugins.web.conftest import build_site
    site = build_site(build_app(web={"max_highlight_bytes": 10}))
    page = site.browser().get("/alice/code/src/branch/main/src/main.py")
    assert page.status_code == 200 and "too large to show" in page.text


def test_markdown_files_render_and_offer_their_source(site):
    browser = site.browser()
    assert "<h1>Code</h1>" in browser.get("/alice/code/src/branch/main/README.md").text
    source = browser.get("/alice/code/src/branch/main/README.md", params={"display": "source"})
    assert '<tr id="L1">' in source.text


def test_raw_files_are_served_as_bytes_that_never_run(site):
    browser = site.browser()
    text = browser.get("/alice/code/raw/branch/main/src/main.py")
    assert text.status_code == 200 and text.text.startswith("def main():")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert "sandbox" in text.headers["content-security-policy"]
    image = browser.get("/alice/code/raw/branch/main/docs/picture.png")
    assert image.headers["content-type"] == "image/png" and image.content == PNG
    assert browser.get("/alice/code/raw/branch/main/src").status_code == 404


@pytest.mark.parametrize("path", [
    "/alice/code/src/branch/nope", "/alice/code/src/branch/main/missing.txt",
    "/alice/code/src/commit/0123456789abcdef", "/alice/code/src/other/main",
    "/alice/code/commit/0123456789abcdef", "/alice/nothing", "/nobody",
    "/alice/code/raw/tag/v9",
])
def test_what_does_not_exist_is_a_404_page(site, path):
    page = site.browser().get(path)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>404</h1>" in page.text


def test_history_is_paged_and_can_follow_a_path(build_app):
    from tests.plugins.web.conftest import build_site
    site = build_site(build_app(web={"page_size": 1}))
    browser = site.browser()
    first = browser.get("/alice/code/commits/branch/main")
    assert first.status_code == 200
    assert "<h2>1 commit</h2>" in first.text and "Add the code" in first.text
    feature = browser.get("/alice/code/commits/branch/feature/x")
    assert "2 commits" in feature.text and 'rel="next" href="/alice/code/commits/branch/feature/x?page=2"' in feature.text
    assert "Work on the feature" in feature.text and "Add the code" not in feature.text
    second = browser.get("/alice/code/commits/branch/feature/x", params={"page": "2"})
    assert second.status_code == 200 and "Page 2 of 2" in second.text
    assert "Add the code" in second.text
    by_path = browser.get("/alice/code/commits/branch/feature/x/feature.txt")
    assert "<h2>1 commit touching feature.txt</h2>" in by_path.text and "Work on the feature" in by_path.text
    assert browser.get("/alice/code/commits/branch/main", params={"page": "x"}).status_code == 422


def test_a_commit_shows_message_parents_and_diff_with_per_file_stats(site):
    commit = site.get("/repos/alice/code/commits", params={"sha": "main", "limit": 1}).json[0]
    page = site.browser().get(f"/alice/code/commit/{commit['sha']}")
    assert page.status_code == 200
    assert "<h2>Add the code</h2>" in page.text and "With a body." in page.text
    assert "Parent" not in page.text  # the first commit
    feature = site.get("/repos/alice/code/commits", params={"sha": "feature/x", "limit": 1}).json[0]
    child = site.browser().get(f"/alice/code/commit/{feature['sha'][:12]}")
    assert f'href="/alice/code/commit/{commit["sha"]}">{commit["sha"][:10]}</a>' in child.text
    assert "4 files changed" in page.text
    assert re.search(r"src/main.py</a> <span class=\"muted\">added</span> <span class=\"add\">\+5</span>",
                     page.text)
    assert '<td class="num">1</td><td class="code">+def main():</td>' in page.text
    assert "Binary file." in page.text  # data.bin
    stats = commit["stats"]
    assert f"+{stats['additions']}" in page.text


def test_branches_and_tags_are_listed(site):
    browser = site.browser()
    branches = browser.get("/alice/code/branches").text
    assert 'href="/alice/code/src/branch/main">main</a> <span class="badge">default</span>' in branches
    assert 'href="/alice/code/src/branch/feature/x">feature/x</a>' in branches
    assert 'href="/alice/code/src/tag/v1.0">v1.0</a>' in browser.get("/alice/code/tags").text


def test_an_empty_repository_says_how_to_push(site):
    site.create_repo("blank")
    page = site.browser().get("/alice/blank")
    assert page.status_code == 200 and "This repository is empty" in page.text
    assert "git push -u origin main" in page.text


@pytest.mark.parametrize("path", [
    "/alice/vault", "/alice/vault/src/branch/main", "/alice/vault/raw/branch/main/README.md",
    "/alice/vault/commits/branch/main", "/alice/vault/branches", "/alice/vault/tags",
    "/alice/vault/issues", "/alice/vault/issues/1",
])
def test_a_private_repository_is_a_404_to_strangers_and_anonymous_visitors(site, path):
    for browser in (site.browser(), site.browser("oscar")):
        page = browser.get(path)
        assert page.status_code == 404, (path, page.status_code)
        assert "vault" not in page.text.split("<main>")[1].split("</main>")[0].replace(
            "repository alice/vault does not exist", "")
    assert site.browser("alice").get(path).status_code in (200, 404)  # 404: no issue #1
    assert site.browser("root").get("/alice/vault").status_code == 200


def test_a_private_repository_is_shown_to_its_owner(site):
    assert "Private" in site.browser("alice").get("/alice/vault").text


def test_a_readme_links_and_shows_pictures_of_its_own_repository(site):
    site.create_repo("pictures")
    site.add_files("alice/pictures", {
        "README.md": b"![A picture](docs/picture.png) and [the guide](docs/guide.md)\n",
        "docs/picture.png": PNG,
        "docs/guide.md": b"Back to [the README](../README.md).\n"})
    browser = site.browser()
    home = browser.get("/alice/pictures").text
    assert '<img src="/alice/pictures/raw/branch/main/docs/picture.png" alt="A picture">' in home
    assert 'href="/alice/pictures/src/branch/main/docs/guide.md"' in home
    guide = browser.get("/alice/pictures/src/branch/main/docs/guide.md").text
    assert 'href="/alice/pictures/src/branch/main/README.md"' in guide
    assert browser.get("/alice/pictures/raw/branch/main/docs/picture.png").content == PNG


def test_an_organization_page_lists_its_repositories_and_the_members_one_may_see(site):
    assert site.post("/orgs", {"username": "acme"}).status_code == 201
    assert site.post("/orgs/acme/repos", {"name": "site"}).status_code == 201
    stranger = site.browser("oscar").get("/acme")
    assert stranger.status_code == 200 and 'href="/acme/site"' in stranger.text
    assert 'href="/alice">alice</a>' not in stranger.text  # alice's membership is not public
    member = site.browser("alice").get("/acme").text
    assert "<h2>Members</h2>" in member and 'href="/alice">alice</a>' in member
    assert site.put("/orgs/acme/public_members/alice").status_code == 204
    assert 'href="/alice">alice</a>' in site.browser("oscar").get("/acme").text


def test_a_private_organization_and_its_repositories_are_404_to_outsiders(site):
    assert site.post("/orgs", {"username": "hidden", "visibility": "private"}).status_code == 201
    assert site.post("/orgs/hidden/repos", {"name": "plans"}).status_code == 201
    for browser in (site.browser(), site.browser("oscar")):
        assert browser.get("/hidden").status_code == 404
        assert browser.get("/hidden/plans").status_code == 404
    assert site.browser("alice").get("/hidden/plans").status_code == 200


def test_an_owner_page_spelled_otherwise_goes_to_its_own_spelling(site):
    result = site.browser().get("/ALICE")
    assert result.status_code == 301 and result.headers["location"].endswith("/alice")
