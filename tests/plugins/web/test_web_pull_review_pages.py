"""The pull-request half of the web pages: the compare page and opening a pull request from
it, the commits tab, reviews and line comments, the merge box with the repository's merge
styles, closing and reopening a pull request, and the split diff view — each through the
pulls service, with its permissions, CSRF tokens and bounded query counts."""

from __future__ import annotations

import base64
import re

import pytest

from plue_core.testing import recorded_statements


def _open_pull(site, title="Add the feature"):
    response = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                     "title": title})
    assert response.status_code == 201, response.text
    return response.json["number"]


@pytest.fixture
def writer_site(site):
    """oscar may write to alice/code (so he may approve and merge)."""
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    return site


# --- compare and create ----------------------------------------------------------------------


def test_the_compare_page_lists_commits_and_the_diff_from_the_merge_base(site):
    site.add_files("alice/code", {"later.txt": b"on main only\n"}, message="Later on main")
    page = site.browser().get("/alice/code/compare/main...feature/x")
    assert page.status_code == 200, page.text
    assert "1 commit" in page.text and "Work on the feature" in page.text
    assert "+only on the branch" in page.text
    assert "later.txt" not in page.text  # the base's own commit is not the head's change
    # The branch picker: both branches offered, the compared ones selected.
    assert '<option value="feature/x" selected>' in page.text
    assert '<option value="main" selected>' in page.text
    # Signed out: no form, a way to sign in.
    assert 'id="new-pull"' not in page.text and "Sign in</a> to open a pull request" in page.text


def test_compare_with_a_single_name_compares_with_the_default_branch(site):
    page = site.browser().get("/alice/code/compare/feature/x")
    assert page.status_code == 200 and "Work on the feature" in page.text


def test_the_branch_picker_form_leads_to_the_comparison(site):
    result = site.browser().get("/alice/code/compare", params={"base": "main", "head": "feature/x"})
    assert result.status_code == 303
    assert result.headers["location"].endswith("/alice/code/compare/main...feature/x")


def test_nothing_to_compare_and_unknown_branches(site):
    browser = site.browser("alice")
    same = browser.get("/alice/code/compare/feature/x...main")
    assert same.status_code == 200 and "nothing to compare" in same.text
    assert 'id="new-pull"' not in same.text
    missing = browser.get("/alice/code/compare/main...nope")
    assert missing.status_code == 404 and "nope" in missing.text
    assert browser.get("/alice/code/compare/main...feature/x?style=sideways").status_code == 422


def test_opening_a_pull_request_from_the_compare_page(site):
    browser = site.browser("oscar")  # a reader may open one, as in Gitea
    page = browser.get("/alice/code/compare/main...feature/x")
    assert 'id="new-pull"' in page.text
    assert 'value="Work on the feature"' in page.text  # one commit: its summary is the title
    result = browser.post("/alice/code/compare/main...feature/x",
                          {"title": "Feature from the web", "body": "Please **merge**"})
    assert result.status_code == 303, result.text
    assert result.headers["location"].endswith("/alice/code/pulls/1")
    pull = site.get("/repos/alice/code/pulls/1").json
    assert pull["title"] == "Feature from the web" and pull["user"]["login"] == "oscar"
    assert pull["head"]["ref"] == "feature/x" and pull["base"]["ref"] == "main"
    assert pull["mergeable"] is True
    # The same branches again: the page points to the open one instead of a form.
    again = browser.get("/alice/code/compare/main...feature/x")
    assert 'id="new-pull"' not in again.text and 'href="/alice/code/pulls/1"' in again.text


def test_a_pull_request_without_title_is_refused_with_the_form_kept(site):
    browser = site.browser("alice")
    browser.get("/alice/code/compare/main...feature/x")
    result = browser.post("/alice/code/compare/main...feature/x", {"title": " ", "body": "kept"})
    assert result.status_code == 422 and "needs a title" in result.text
    assert ">kept</textarea>" in result.text
    assert site.get("/repos/alice/code/pulls", params={"state": "all"}).json == []


def test_creating_needs_sign_in_and_a_csrf_token(site):
    anonymous = site.browser()
    result = anonymous.post("/alice/code/compare/main...feature/x", {"title": "x"},
                            from_page="/user/login")
    assert result.status_code == 303 and "/user/login" in result.headers["location"]
    browser = site.browser("alice")
    assert browser.post("/alice/code/compare/main...feature/x", {"title": "x"},
                        csrf=False).status_code == 403
    assert site.get("/repos/alice/code/pulls", params={"state": "all"}).json == []


def test_the_branches_page_offers_a_pull_request_for_a_branch_ahead(site):
    page = site.browser().get("/alice/code/branches")
    assert page.status_code == 200
    assert "1 commit" in page.text
    assert 'href="/alice/code/compare/main...feature/x">New pull request</a>' in page.text
    assert 'compare/main...main"' not in page.text


def test_compare_and_pull_pages_of_a_private_repository_are_404_to_strangers(site):
    site.post("/repos/alice/vault/branches", {"new_branch_name": "topic"})
    site.add_files("alice/vault", {"topic.txt": b"x\n"}, branch="topic")
    assert site.post("/repos/alice/vault/pulls", {"head": "topic", "base": "main",
                                                  "title": "Secret"}).status_code == 201
    for path in ("/alice/vault/compare/main...topic", "/alice/vault/compare",
                 "/alice/vault/pulls/1/commits", "/alice/vault/pulls/1/files?style=split"):
        assert site.browser("oscar").get(path).status_code == 404, path
        assert site.browser().get(path).status_code == 404, path
        assert site.browser("alice").get(path).status_code in (200, 303), path
    oscar = site.browser("oscar")
    oscar.get("/alice/code")  # a page for a CSRF token
    for path, fields in (("/alice/vault/compare/main...topic", {"title": "x"}),
                         ("/alice/vault/pulls/1/merge", {"do": "merge"}),
                         ("/alice/vault/pulls/1/files/reviews/submit", {"type": "approve"})):
        assert oscar.post(path, fields).status_code == 404, path
    assert site.get("/repos/alice/vault/pulls/1").json["merged"] is False


# --- the commits tab -------------------------------------------------------------------------


def test_the_commits_tab_lists_the_pull_requests_commits(site):
    site.add_files("alice/code", {"more.txt": b"more\n"}, branch="feature/x", message="More work")
    number = _open_pull(site)
    page = site.browser().get(f"/alice/code/pulls/{number}/commits")
    assert page.status_code == 200
    assert 'aria-current="page">Commits</a>' in page.text
    assert page.text.index("More work") < page.text.index("Work on the feature")
    assert "Add the code" not in page.text  # on the base already


# --- reviews ---------------------------------------------------------------------------------


def test_approving_requesting_changes_and_commenting(writer_site):
    site = writer_site
    number = _open_pull(site)
    oscar = site.browser("oscar")
    files = oscar.get(f"/alice/code/pulls/{number}/files")
    assert 'value="approve"' in files.text  # not his own pull request
    result = oscar.post(f"/alice/code/pulls/{number}/files/reviews/submit",
                        {"type": "reject", "content": "Please rename it", "commit_id": ""})
    assert result.status_code == 303 and "#issuecomment-" in result.headers["location"]
    oscar.get(f"/alice/code/pulls/{number}")
    assert oscar.post(f"/alice/code/pulls/{number}/files/reviews/submit",
                      {"type": "approve", "content": ""}).status_code == 303
    reviews = site.get(f"/repos/alice/code/pulls/{number}/reviews").json
    assert [(review["state"], review["body"], review["user"]["login"]) for review in reviews] == [
        ("REQUEST_CHANGES", "Please rename it", "oscar"), ("APPROVED", "", "oscar")]
    page = site.browser().get(f"/alice/code/pulls/{number}")
    assert "requested changes" in page.text and "approved these changes" in page.text
    assert "Please rename it" in page.text


def test_a_refused_review_says_why_and_leaves_nothing(site):
    number = _open_pull(site)
    alice = site.browser("alice")
    files = alice.get(f"/alice/code/pulls/{number}/files")
    assert 'value="approve"' not in files.text  # her own pull request
    refused = alice.post(f"/alice/code/pulls/{number}/files/reviews/submit",
                         {"type": "approve", "content": ""})
    assert refused.status_code == 422 and "approve your own pull is not allowed" in refused.text
    empty = alice.post(f"/alice/code/pulls/{number}/files/reviews/submit",
                       {"type": "comment", "content": ""}, from_page=f"/alice/code/pulls/{number}")
    assert empty.status_code == 422
    bad = alice.post(f"/alice/code/pulls/{number}/files/reviews/submit",
                     {"type": "lgtm", "content": "x"}, from_page=f"/alice/code/pulls/{number}")
    assert bad.status_code == 422 and "approve, reject or comment" in bad.text
    assert site.get(f"/repos/alice/code/pulls/{number}/reviews").json == []


def test_a_comment_on_a_line_shows_in_place_in_both_views(site):
    number = _open_pull(site)
    oscar = site.browser("oscar")
    files = oscar.get(f"/alice/code/pulls/{number}/files")
    link = ('href="?style=unified&amp;path=feature.txt&amp;line=1&amp;side=proposed'
            '#comment-form"')
    assert link in files.text, "each line offers a comment form"
    form = oscar.get(f"/alice/code/pulls/{number}/files?style=unified&path=feature.txt&line=1"
                     "&side=proposed")
    assert 'id="comment-form"' in form.text and 'name="line" value="1"' in form.text
    result = oscar.post(f"/alice/code/pulls/{number}/files/reviews/comments",
                        {"path": "feature.txt", "line": "1", "side": "proposed",
                         "content": "Why *only*?", "style": "split"})
    assert result.status_code == 303
    assert result.headers["location"].endswith(f"/alice/code/pulls/{number}/files?style=split")
    comments = site.get(f"/repos/alice/code/pulls/{number}/reviews").json
    assert comments[0]["state"] == "COMMENT" and comments[0]["comments_count"] == 1
    for style in ("unified", "split"):
        page = site.browser().get(f"/alice/code/pulls/{number}/files?style={style}")
        text = page.text
        row = text.index("+only on the branch")
        assert text.index("Why <em>only</em>?") > row, style  # under its line
        assert 'id="comment-form"' not in text  # no form for a signed-out reader
    conversation = site.browser().get(f"/alice/code/pulls/{number}").text
    assert "feature.txt, line 1" in conversation and "Why <em>only</em>?" in conversation
    # The API's html_url of the line comment opens the files page at its anchor.
    review_id = comments[0]["id"]
    line_comment = site.get(
        f"/repos/alice/code/pulls/{number}/reviews/{review_id}/comments").json[0]
    path, _, anchor = line_comment["html_url"].split("/", 3)[3].partition("#")
    assert f'id="{anchor}"' in site.browser().get("/" + path).text


def test_a_line_comment_on_an_unchanged_file_or_without_a_line_is_refused(site):
    number = _open_pull(site)
    oscar = site.browser("oscar")
    oscar.get(f"/alice/code/pulls/{number}/files")
    refused = oscar.post(f"/alice/code/pulls/{number}/files/reviews/comments",
                         {"path": "README.md", "line": "1", "side": "proposed", "content": "x"})
    assert refused.status_code == 422 and "is not changed by pull request" in refused.text
    no_line = oscar.post(f"/alice/code/pulls/{number}/files/reviews/comments",
                         {"path": "feature.txt", "line": "zero", "side": "proposed",
                          "content": "x"},
                         from_page=f"/alice/code/pulls/{number}/files")
    assert no_line.status_code == 422 and "line" in no_line.text
    assert site.get(f"/repos/alice/code/pulls/{number}/reviews").json == []


# --- merging ---------------------------------------------------------------------------------


def test_the_merge_box_offers_the_allowed_styles_to_writers_only(site):
    assert site.patch("/repos/alice/code", {"allow_rebase": False,
                                            "allow_rebase_explicit": False}).status_code == 200
    number = _open_pull(site)
    page = site.browser("alice").get(f"/alice/code/pulls/{number}")
    assert "This branch has no conflicts with main." in page.text
    styles = re.findall(r'<option value="([a-z-]+)"', page.text.split('id="merge-style"')[1]
                        .split("</select>")[0])
    assert styles == ["merge", "squash", "fast-forward-only"]
    assert 'action="/alice/code/pulls/1/merge"' in page.text
    reader_page = site.browser("oscar").get(f"/alice/code/pulls/{number}")
    assert "no conflicts" in reader_page.text and 'id="merge-style"' not in reader_page.text


def test_merging_from_the_page(site):
    number = _open_pull(site)
    alice = site.browser("alice")
    alice.get(f"/alice/code/pulls/{number}")
    result = alice.post(f"/alice/code/pulls/{number}/merge",
                        {"do": "squash", "merge_title_field": "Squashed from the web",
                         "delete_branch_after_merge": "on"})
    assert result.status_code == 303, result.text
    pull = site.get(f"/repos/alice/code/pulls/{number}").json
    assert pull["merged"] is True and pull["merged_by"]["login"] == "alice"
    commit = site.get("/repos/alice/code/commits", params={"sha": "main", "limit": 1}).json[0]
    assert commit["commit"]["message"].startswith("Squashed from the web")
    assert site.get("/repos/alice/code/branches/feature%2Fx").status_code == 404
    page = alice.get(f"/alice/code/pulls/{number}")
    assert '<span class="state merged">Merged</span>' in page.text
    assert 'id="merge-style"' not in page.text


def test_a_merge_is_refused_to_readers_for_styles_not_allowed_and_for_a_moved_head(writer_site):
    site = writer_site
    site.patch("/repos/alice/code", {"allow_rebase": False})
    number = _open_pull(site)
    site.put("/repos/alice/code/collaborators/oscar", {"permission": "read"})
    oscar = site.browser("oscar")
    oscar.get(f"/alice/code/pulls/{number}")
    assert oscar.post(f"/alice/code/pulls/{number}/merge", {"do": "merge"}).status_code == 403
    alice = site.browser("alice")
    alice.get(f"/alice/code/pulls/{number}")
    not_allowed = alice.post(f"/alice/code/pulls/{number}/merge", {"do": "rebase"})
    assert not_allowed.status_code == 422 and "allows" in not_allowed.text
    old_head = site.get(f"/repos/alice/code/pulls/{number}").json["head"]["sha"]
    site.add_files("alice/code", {"late.txt": b"late\n"}, branch="feature/x")
    moved = alice.post(f"/alice/code/pulls/{number}/merge",
                       {"do": "merge", "head_commit_id": old_head},
                       from_page=f"/alice/code/pulls/{number}")
    assert moved.status_code == 409, moved.text
    assert site.get(f"/repos/alice/code/pulls/{number}").json["merged"] is False
    assert alice.post(f"/alice/code/pulls/{number}/merge", {"do": "merge"},
                      csrf=False).status_code == 403


def test_closing_and_reopening_a_pull_request_from_its_page(site):
    number = _open_pull(site)
    alice = site.browser("alice")
    page = alice.get(f"/alice/code/pulls/{number}")
    assert 'value="close"' in page.text
    closed = alice.post(f"/alice/code/issues/{number}/comments", {"action": "close", "body": ""})
    assert closed.status_code == 303 and closed.headers["location"].endswith(f"/pulls/{number}")
    assert site.get(f"/repos/alice/code/pulls/{number}").json["state"] == "closed"
    page = alice.get(f"/alice/code/pulls/{number}")
    assert 'value="reopen"' in page.text and 'id="merge-style"' not in page.text
    alice.post(f"/alice/code/issues/{number}/comments", {"action": "reopen", "body": ""})
    assert site.get(f"/repos/alice/code/pulls/{number}").json["state"] == "open"


# --- split diffs -----------------------------------------------------------------------------


def test_the_commit_page_shows_the_unified_and_the_split_view(site):
    site.add_files("alice/code", {"lines.txt": b"one\ntwo\nthree\n"}, message="Lines")
    content = site.get("/repos/alice/code/contents/lines.txt").json
    update = site.put("/repos/alice/code/contents/lines.txt", {
        "message": "Change two", "sha": content["sha"],
        "content": base64.b64encode(b"one\nTWO\nthree\n").decode()})
    assert update.status_code == 200, update.text
    sha = update.json["commit"]["sha"]
    unified = site.browser().get(f"/alice/code/commit/{sha}")
    assert unified.status_code == 200
    assert re.search(r'<tr class="del">\s*<td class="num">2</td><td class="num"></td>'
                     r'<td class="code">-two</td>', unified.text)
    assert re.search(r'<tr class="add">\s*<td class="num"></td><td class="num">2</td>'
                     r'<td class="code">\+TWO</td>', unified.text)
    split = site.browser().get(f"/alice/code/commit/{sha}?style=split")
    assert re.search(r'<td class="num">2</td><td class="code del">-two</td>\s*'
                     r'<td class="num">2</td><td class="code add">\+TWO</td>', split.text)
    assert 'href="?style=split" aria-current="page"' in split.text
    assert site.browser().get(f"/alice/code/commit/{sha}?style=x").status_code == 422


# --- query counts ----------------------------------------------------------------------------


def test_pull_pages_send_as_many_queries_for_many_reviews_as_for_one(writer_site):
    site = writer_site
    number = _open_pull(site)
    oscar = site.browser("oscar")

    def review(body):
        oscar.get(f"/alice/code/pulls/{number}/files")
        oscar.post(f"/alice/code/pulls/{number}/files/reviews/comments",
                   {"path": "feature.txt", "line": "1", "side": "proposed", "content": body})

    review("first")
    browser = site.browser("alice")
    paths = [f"/alice/code/pulls/{number}", f"/alice/code/pulls/{number}/files",
             f"/alice/code/pulls/{number}/files?style=split", f"/alice/code/pulls/{number}/commits",
             "/alice/code/compare/main...feature/x", "/alice/code/branches"]
    for path in paths:
        browser.get(path)  # warm: sessions touched, mergeability checked
    before = {}
    for path in paths:
        with recorded_statements(site.ctx.db) as statements:
            assert browser.get(path).status_code == 200
        before[path] = len(statements)
    for index in range(4):
        review(f"more {index}")
    site.post("/repos/alice/code/branches", {"new_branch_name": "other"})
    for path in paths:
        with recorded_statements(site.ctx.db) as statements:
            page = browser.get(path)
        assert page.status_code == 200
        assert len(statements) == before[path], (path, statements)
    # 10 for the conversation itself, plus the choices of the edit forms a writer gets
    # (labels, milestones, assignees), plus the header's unread notifications.
    assert before[f"/alice/code/pulls/{number}"] <= 14, before


def test_a_branch_ahead_offers_a_pull_request_on_its_tree(site):
    ahead = site.browser().get("/alice/code/src/branch/feature/x")
    assert ahead.status_code == 200
    assert 'href="/alice/code/compare/main...feature/x">New pull request</a>' in ahead.text
    site.post("/repos/alice/code/branches", {"new_branch_name": "level", "old_ref_name": "main"})
    for path in ("/alice/code/src/branch/level", "/alice/code/src/branch/main", "/alice/code"):
        assert "New pull request" not in site.browser().get(path).text, path
