"""The pull request sidebar's review requests to teams: the reviewer chooser offers the
organization's teams that reach the pull requests (``team:<name>``), asking and withdrawing
are CSRF forms working without JavaScript (Gitea's ``requested_reviewers`` rules), the team's
request is on the sidebar and the timeline, and its members find it among their review
requests on the front page."""

from __future__ import annotations

import pytest

from plue_core.testing import make_user


@pytest.fixture
def org_pull(site):
    """alice's organization acme with acme/app and pull request #1 (feature into main, by
    alice); team ``core`` (write, oscar) and team ``docs`` (read, without the pull requests
    unit)."""
    assert site.post("/orgs", {"username": "acme"}).status_code == 201
    assert site.post("/orgs/acme/repos", {"name": "app", "auto_init": True}).status_code == 201
    for name, permission, units in (("core", "write", ["repo.code", "repo.pulls"]),
                                    ("docs", "read", ["repo.code", "repo.issues"])):
        team = site.post("/orgs/acme/teams", {"name": name, "permission": permission,
                                              "units": units})
        assert team.status_code == 201, team.text
        if name == "core":
            assert site.put(f"/teams/{team.json['id']}/members/oscar").status_code == 204
    assert site.post("/repos/acme/app/branches", {"new_branch_name": "feature"}).status_code == 201
    site.add_files("acme/app", {"feature.txt": b"feature\n"}, branch="feature")
    assert site.post("/repos/acme/app/pulls", {"head": "feature", "base": "main",
                                               "title": "Team work"}).status_code == 201
    return site


def _teams_asked(site) -> list[str]:
    return [team["name"] for team in
            site.get("/repos/acme/app/pulls/1").json["requested_reviewers_teams"]]


def test_the_poster_asks_a_team_and_withdraws_the_request_without_javascript(org_pull):
    alice = org_pull.browser("alice")
    page = alice.get("/acme/app/pulls/1")
    assert page.status_code == 200
    assert ('<optgroup label="Teams"><option value="team:core">core</option>'
            '<option value="team:Owners">Owners</option></optgroup>') in page.text
    assert 'value="team:docs"' not in page.text  # docs can't read the pull requests
    result = alice.post("/acme/app/pulls/1/request_review",
                        {"action": "attach", "reviewer": "team:core"})
    assert result.status_code == 303 and result.headers["location"].endswith("/acme/app/pulls/1")
    assert _teams_asked(org_pull) == ["core"]
    page = alice.get("/acme/app/pulls/1")
    assert '<strong class="team">acme/core</strong>' in page.text
    assert 'aria-label="Remove the review request of the team core"' in page.text
    assert 'value="team:core">core</option>' not in page.text  # already asked
    assert "requested a review from the team <strong>core</strong>" in page.text
    assert "Ghost" not in page.text  # the team's request is not a review of nobody
    result = alice.post("/acme/app/pulls/1/request_review",
                        {"action": "detach", "reviewer": "team:core"})
    assert result.status_code == 303
    assert _teams_asked(org_pull) == []
    assert "removed the review request for the team <strong>core</strong>" in \
        alice.get("/acme/app/pulls/1").text


def test_a_members_front_page_lists_the_teams_request(org_pull):
    before = org_pull.browser("oscar").get("/").text.split('id="reviews-title"')[1]
    assert "Team work" not in before.split('id="repos-title"')[0]
    assert org_pull.post("/repos/acme/app/pulls/1/requested_reviewers",
                         {"team_reviewers": ["core"]}).status_code == 201
    reviews = org_pull.browser("oscar").get("/").text.split('id="reviews-title"')[1] \
        .split('id="repos-title"')[0]
    assert '<a href="/acme/app/pulls/1">Team work</a>' in reviews
    # His approval answers the team's request: the list forgets it.
    approval = org_pull.post("/repos/acme/app/pulls/1/reviews", {"event": "APPROVED"},
                             as_user="oscar")
    assert approval.status_code == 200, approval.text
    assert _teams_asked(org_pull) == []
    after = org_pull.browser("oscar").get("/").text.split('id="reviews-title"')[1]
    assert "Team work" not in after.split('id="repos-title"')[0]


def test_refused_team_requests_say_why_and_change_nothing(org_pull):
    make_user(org_pull.ctx, "rita")
    assert org_pull.put("/repos/acme/app/collaborators/rita",
                        {"permission": "read"}).status_code == 204
    alice = org_pull.browser("alice")
    alice.get("/acme/app/pulls/1")
    for fields, says in (({"action": "attach", "reviewer": "team:ghosts"}, "ghosts"),
                         ({"action": "attach", "reviewer": "team:docs"}, "docs")):
        result = alice.post("/acme/app/pulls/1/request_review", fields,
                            from_page="/acme/app/pulls/1")
        assert result.status_code == 422 and says in result.text, (fields, result.text)
    assert alice.post("/acme/app/pulls/1/request_review",
                      {"action": "attach", "reviewer": "team:core"}, csrf=False).status_code == 403
    rita = org_pull.browser("rita")
    page = rita.get("/acme/app/pulls/1")
    assert 'id="request-reviewer"' not in page.text  # a reader does not choose reviewers
    refused = rita.post("/acme/app/pulls/1/request_review",
                        {"action": "attach", "reviewer": "team:core"}, from_page="/acme/app/pulls/1")
    assert refused.status_code == 422 and "rita" in refused.text
    assert _teams_asked(org_pull) == []


def test_a_users_repository_offers_no_teams(site):
    assert site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "Solo"}).status_code == 201
    make_user(site.ctx, "wanda")
    assert site.put("/repos/alice/code/collaborators/wanda",
                    {"permission": "write"}).status_code == 204
    page = site.browser("alice").get("/alice/code/pulls/1")
    assert '<option value="wanda">wanda</option>' in page.text
    assert "optgroup" not in page.text
