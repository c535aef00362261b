"""A review's ``html_url`` (Gitea's ``{pull}#issuecomment-{id}``, the id of the review's
timeline row) lands on that review on the pull request page, and the page's own links and redirects use the same anchor."""

from __future__ import annotations

import re

from tests.plugins.web.test_web_pull_review_pages import _open_pull


def test_the_review_html_url_names_an_anchor_of_the_page(site):
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    number = _open_pull(site)
    review = site.post(f"/repos/alice/code/pulls/{number}/reviews",
                       {"event": "APPROVED", "body": "Looks good"}, as_user="oscar")
    assert review.status_code == 200, review.text
    page_url, fragment = review.json["html_url"].split("#")
    assert page_url.endswith(f"/alice/code/pulls/{number}")
    [row] = [row for row in site.get(f"/repos/alice/code/issues/{number}/timeline").json
             if row["type"] == "review"]
    assert row["review_id"] == review.json["id"] and fragment == f"issuecomment-{row['id']}"
    page = site.browser().get(f"/alice/code/pulls/{number}").text
    section = re.search(rf'<section class="comment review" id="{fragment}">(.*?)</section>',
                        page, re.S)
    assert section is not None and "Looks good" in section.group(1)
    assert f'href="#{fragment}"' in section.group(1)
    # Gitea's other anchor of a review leads to the same section.
    assert f'<header id="pullrequestreview-{review.json["id"]}">' in section.group(1)
    # The page's own review form sends the reviewer back to the same anchor.
    oscar = site.browser("oscar")
    oscar.get(f"/alice/code/pulls/{number}/files")
    result = oscar.post(f"/alice/code/pulls/{number}/files/reviews/submit",
                        {"type": "comment", "content": "One more thing", "commit_id": ""})
    assert result.status_code == 303
    latest = site.get(f"/repos/alice/code/pulls/{number}/reviews").json[-1]
    assert latest["body"] == "One more thing"
    assert "#issuecomment-" in latest["html_url"]
    assert result.headers["location"].endswith(
        f"/alice/code/pulls/{number}#{latest['html_url'].split('#')[1]}")
