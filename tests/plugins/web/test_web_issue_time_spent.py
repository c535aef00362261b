"""An issue's page shows the time tracked on it, as Gitea's sidebar does."""

from __future__ import annotations


def test_an_issue_page_shows_the_time_spent_on_it(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"})
    assert "Time spent" not in site.browser().get("/alice/code/issues/1").text
    for seconds in (3600, 125):
        assert site.post("/repos/alice/code/issues/1/times", {"time": seconds}).status_code == 200
    page = site.browser("oscar").get("/alice/code/issues/1").text
    assert 'Time spent <strong class="time-spent">1 hour 2 minutes</strong>' in page
