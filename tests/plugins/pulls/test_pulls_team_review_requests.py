"""Review requests to teams, as Gitea keeps them: a REQUEST_REVIEW review naming a team of the
base repository's organization (``team`` in the PullReview, ``requested_reviewers_teams`` in
the PullRequest), a ``review_request`` timeline event naming it (``assignee_team``), a
``review_requested`` event for each member but the author, and a member's review answering
it."""

from __future__ import annotations

import pytest

from plue_core.testing import make_user


@pytest.fixture
def org(forge):
    """alice owns the organization acme and its public repository acme/app with a pull
    request #1 (by alice); team ``core`` (write: wanda, rita and alice) and team ``docs``
    (read, without the pull requests unit: oscar), both reaching every repository of acme."""
    assert forge.post("/orgs", {"username": "acme"}).status_code == 201
    created = forge.post("/orgs/acme/repos", {"name": "app", "auto_init": True})
    assert created.status_code == 201, created.text
    teams = {}
    for name, permission, units, members in (
            ("core", "write", ["repo.code", "repo.pulls"], ("wanda", "rita", "alice")),
            ("docs", "read", ["repo.code", "repo.issues"], ("oscar",))):
        team = forge.post("/orgs/acme/teams", {"name": name, "permission": permission,
                                               "units": units, "includes_all_repositories": True})
        assert team.status_code == 201, team.text
        teams[name] = team.json
        for member in members:
            added = forge.put(f"/teams/{team.json['id']}/members/{member}")
            assert added.status_code == 204, added.text
    forge.teams = teams
    forge.pull = forge.feature_pull("acme/app")
    return forge


REQUESTS = "/repos/acme/app/pulls/1/requested_reviewers"


def _timeline_requests(forge) -> list:
    return [(event["user"]["login"], event["assignee"] and event["assignee"]["login"],
             event["assignee_team"] and event["assignee_team"]["name"], event["removed_assignee"])
            for event in forge.get("/repos/acme/app/issues/1/timeline").json
            if event["type"] == "review_request"]


def test_a_team_request_is_a_review_naming_the_team_and_is_listed_on_the_pull(org):
    response = org.post(REQUESTS, {"team_reviewers": ["Core"]})
    assert response.status_code == 201, response.text
    [review] = response.json
    assert review["state"] == "REQUEST_REVIEW" and review["user"] is None
    assert review["team"]["id"] == org.teams["core"]["id"]
    assert review["team"]["name"] == "core" and review["team"]["organization"]["username"] == "acme"
    assert review["team"]["permission"] == "write"
    shown = org.get("/repos/acme/app/pulls/1").json
    assert [team["name"] for team in shown["requested_reviewers_teams"]] == ["core"]
    assert shown["requested_reviewers_teams"][0] == review["team"]
    assert shown["requested_reviewers"] == []
    listed = org.get("/repos/acme/app/pulls").json
    assert [team["name"] for team in listed[0]["requested_reviewers_teams"]] == ["core"]
    reviews = org.get("/repos/acme/app/pulls/1/reviews").json
    assert [(r["state"], r["team"]["name"]) for r in reviews] == [("REQUEST_REVIEW", "core")]
    assert org.get(f"/repos/acme/app/pulls/1/reviews/{review['id']}").json["team"]["name"] == "core"
    again = org.post(REQUESTS, {"team_reviewers": ["core"]})
    assert again.status_code == 201 and again.json == []
    assert _timeline_requests(org) == [("alice", None, "core", False)]


def test_users_and_teams_are_asked_together_and_each_is_on_the_timeline(org):
    response = org.post(REQUESTS, {"reviewers": ["wanda"], "team_reviewers": ["core"]})
    assert response.status_code == 201, response.text
    assert [(r["user"] and r["user"]["login"], r["team"] and r["team"]["name"])
            for r in response.json] == [("wanda", None), (None, "core")]
    assert _timeline_requests(org) == [("alice", "wanda", None, False), ("alice", None, "core", False)]


def test_withdrawing_a_team_request_answers_204_and_goes_on_the_timeline(org):
    org.post(REQUESTS, {"team_reviewers": ["core"]})
    response = org.delete(REQUESTS, {"team_reviewers": ["core", "docs"]})
    assert response.status_code == 204, response.text
    assert org.get("/repos/acme/app/pulls/1").json["requested_reviewers_teams"] == []
    assert org.get("/repos/acme/app/pulls/1/reviews").json == []
    # docs was never asked: nothing recorded for it.
    assert _timeline_requests(org) == [("alice", None, "core", False), ("alice", None, "core", True)]


def test_each_member_but_the_author_is_told_and_a_withdrawal_tells_nobody(org):
    org.post(REQUESTS, {"team_reviewers": ["core"]})
    told = [(e.action, e.requested_reviewer, e.sender)
            for e in org.recorder.of("pull_request", number=1) if e.action != "opened"]
    assert told == [("review_requested", "rita", "alice"), ("review_requested", "wanda", "alice")]
    org.delete(REQUESTS, {"team_reviewers": ["core"]})
    assert not org.recorder.of("pull_request", action="review_request_removed")


def test_a_members_review_answers_the_teams_request(org):
    org.post(REQUESTS, {"team_reviewers": ["core"]})
    outsider = org.post("/repos/acme/app/pulls/1/reviews", {"event": "COMMENT", "body": "hm"},
                        as_user="root")
    assert outsider.status_code == 200, outsider.text
    assert [t["name"] for t in org.get("/repos/acme/app/pulls/1").json["requested_reviewers_teams"]] \
        == ["core"]
    approval = org.post("/repos/acme/app/pulls/1/reviews", {"event": "APPROVED"}, as_user="wanda")
    assert approval.status_code == 200, approval.text
    assert org.get("/repos/acme/app/pulls/1").json["requested_reviewers_teams"] == []
    states = [(r["state"], r["user"]["login"]) for r in org.get("/repos/acme/app/pulls/1/reviews").json]
    assert states == [("COMMENT", "root"), ("APPROVED", "wanda")]


def test_teams_are_refused_with_422_naming_them(org):
    unknown = org.post(REQUESTS, {"team_reviewers": ["ghosts"]})
    assert unknown.status_code == 422 and "ghosts" in unknown.json["message"]
    no_pulls = org.post(REQUESTS, {"team_reviewers": ["docs"]})
    assert no_pulls.status_code == 422 and "docs" in no_pulls.json["message"]
    assert "pull requests" in no_pulls.json["message"]
    org.commit("alice/project", "main", {"x.txt": "x\n"}, new_branch="topic")
    users_pull = org.open_pull("alice/project", head="topic")
    on_a_user = org.post(f"/repos/alice/project/pulls/{users_pull['number']}/requested_reviewers",
                         {"team_reviewers": ["core"]})
    assert on_a_user.status_code == 422 and "organization" in on_a_user.json["message"]
    assert "core" in on_a_user.json["message"]
    # A refusal leaves nothing behind, also for the users asked with it.
    mixed = org.post(REQUESTS, {"reviewers": ["wanda"], "team_reviewers": ["ghosts"]})
    assert mixed.status_code == 422
    shown = org.get("/repos/acme/app/pulls/1").json
    assert shown["requested_reviewers"] == [] and shown["requested_reviewers_teams"] == []
    assert _timeline_requests(org) == []


def test_only_the_author_or_a_writer_chooses_teams(org):
    assert org.put("/repos/acme/app/collaborators/oscar", {"permission": "read"}).status_code == 204
    reader = org.post(REQUESTS, {"team_reviewers": ["core"]}, as_user="oscar")
    assert reader.status_code == 422 and "oscar" in reader.json["message"]
    assert org.post(REQUESTS, {"team_reviewers": ["core"]}, as_user=None).status_code == 401
    writer = org.post(REQUESTS, {"team_reviewers": ["core"]}, as_user="wanda")
    assert writer.status_code == 201, writer.text
    # A member of the team asked is not the reviewer of a user's request: only the author or
    # a writer withdraws it.
    refused = org.delete(REQUESTS, {"team_reviewers": ["core"]}, as_user="oscar")
    assert refused.status_code == 422 and "oscar" in refused.json["message"]
    assert [t["name"] for t in org.get("/repos/acme/app/pulls/1").json["requested_reviewers_teams"]] \
        == ["core"]


def test_a_private_repositorys_team_requests_are_404_to_outsiders(org):
    created = org.post("/orgs/acme/repos", {"name": "hidden", "auto_init": True, "private": True})
    assert created.status_code == 201, created.text
    org.commit("acme/hidden", "main", {"h.txt": "h\n"}, new_branch="feature")
    org.open_pull("acme/hidden")
    path = "/repos/acme/hidden/pulls/1/requested_reviewers"
    make_user(org.ctx, "stranger")  # oscar reads it: his team reaches every repository of acme
    assert org.post(path, {"team_reviewers": ["core"]}, as_user="stranger").status_code == 404
    asked = org.post(path, {"team_reviewers": ["core"]})
    assert asked.status_code == 201, asked.text
    assert org.get("/repos/acme/hidden/pulls/1", as_user="wanda").json[
        "requested_reviewers_teams"][0]["name"] == "core"


def test_a_deleted_team_takes_its_requests_with_it(org):
    org.post(REQUESTS, {"team_reviewers": ["core"]})
    assert org.delete(f"/teams/{org.teams['core']['id']}").status_code == 204
    assert org.get("/repos/acme/app/pulls/1").json["requested_reviewers_teams"] == []
    assert org.get("/repos/acme/app/pulls/1/reviews").json == []
    assert _timeline_requests(org) == []
