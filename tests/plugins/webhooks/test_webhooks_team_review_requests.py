"""A review asked of a team, as Gitea announces it (``teamReviewRequestNotify``): one
``pull_request_review_request`` delivery (``review_requested``) per member of the team but the
pull request's author, each naming that member as ``requested_reviewer``, with the team in the
pull request's ``requested_reviewers_teams``; withdrawing the team's request announces nothing."""

from __future__ import annotations


def test_a_team_request_is_announced_to_each_member_but_the_author(forge, receiver):
    assert forge.post("/orgs/acme/repos", {"name": "app", "auto_init": True}).status_code == 201
    team = forge.post("/orgs/acme/teams", {"name": "core", "permission": "write",
                                           "units": ["repo.code", "repo.pulls"]})
    assert team.status_code == 201, team.text
    for member in ("alice", "bob", "carol"):
        assert forge.put(f"/teams/{team.json['id']}/members/{member}").status_code == 204
    forge.write_file("f.txt", "f\n", repo="acme/app", new_branch="feature")
    assert forge.post("/repos/acme/app/pulls", {"head": "feature", "base": "main",
                                                "title": "Add f"}).status_code == 201
    forge.add_hook(receiver.url, path="/repos/acme/app/hooks",
                   events=["pull_request_review_request"])
    path = "/repos/acme/app/pulls/1/requested_reviewers"
    assert forge.post(path, {"team_reviewers": ["core"]}).status_code == 201
    assert forge.post(path, {"team_reviewers": ["core"]}).status_code == 201  # already asked
    assert forge.delete(path, {"team_reviewers": ["core"]}).status_code == 204
    forge.send()
    seen = [(d.event_type, d.payload["action"]) for d in receiver.deliveries]
    assert seen == [("pull_request_review_request", "review_requested")] * 2
    payloads = [receiver.check(delivery, "s3cret") for delivery in receiver.deliveries]
    assert [p["requested_reviewer"]["login"] for p in payloads] == ["bob", "carol"]
    for payload in payloads:
        assert payload["sender"]["login"] == "alice"
        assert [t["name"] for t in payload["pull_request"]["requested_reviewers_teams"]] == ["core"]
        assert payload["pull_request"]["requested_reviewers_teams"][0]["organization"][
            "username"] == "acme"
    assert receiver.deliveries[0].headers["X-Gitea-Event"] == "pull_request"
