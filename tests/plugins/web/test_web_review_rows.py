"""The conversation page shows a submitted review at its timeline row, between the comments
made before and after it, at ``id="issuecomment-{row id}"`` (the API's html_url) with Gitea's
``pullrequestreview-{review id}`` anchor on it too; a pending review, which has no row, stays
after the timeline under ``pullrequestreview-{review id}`` alone."""

from __future__ import annotations

import re

from tests.plugins.web.test_web_pull_review_pages import _open_pull


def test_reviews_sit_at_their_rows_between_the_comments(site):
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    number = _open_pull(site)
    before = site.post(f"/repos/alice/code/issues/{number}/comments", {"body": "Before it"}).json
    review = site.post(f"/repos/alice/code/pulls/{number}/reviews",
                       {"event": "APPROVED", "body": "Approved it"}, as_user="oscar").json
    after = site.post(f"/repos/alice/code/issues/{number}/comments", {"body": "After it"}).json
    pending = site.post(f"/repos/alice/code/pulls/{number}/reviews",
                        {"event": "PENDING", "body": "Still thinking"}, as_user="oscar").json
    row_id = int(review["html_url"].rsplit("#issuecomment-", 1)[1])
    assert row_id not in (before["id"], after["id"])

    page = site.browser("oscar").get(f"/alice/code/pulls/{number}").text
    ids = re.findall(r'<section class="comment[^"]*" id="([^"]+)"', page)
    assert ids == [f"issuecomment-{before['id']}", f"issuecomment-{row_id}",
                   f"issuecomment-{after['id']}", f"pullrequestreview-{pending['id']}"]
    section = re.search(rf'<section class="comment review" id="issuecomment-{row_id}">(.*?)'
                        r"</section>", page, re.S).group(1)
    assert f'<header id="pullrequestreview-{review["id"]}">' in section
    assert "Approved it" in section and "approved these changes" in section
    assert len(re.findall(r'id="(?:issuecomment|pullrequestreview)-\d+"', page)) == len(
        set(re.findall(r'id="((?:issuecomment|pullrequestreview)-\d+)"', page)))
    # Others do not see oscar's pending review, nor its anchor.
    assert f"pullrequestreview-{pending['id']}" not in site.browser().get(
        f"/alice/code/pulls/{number}").text
