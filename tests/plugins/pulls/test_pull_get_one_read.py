"""A pull GET reads its body's parts with its issue (``body_reads.body_columns``: JSON columns
of the issue's read; a statement fewer, issue 13): who merged it, its review comments, the
users and teams asked to review it (each team with its organization), oldest request first,
rendered exactly as the list's own read of them renders them."""

from __future__ import annotations


def _listed(forge, number: int) -> dict:
    listed = forge.get("/repos/acme/app/pulls", params={"state": "all", "limit": "50"})
    assert listed.status_code == 200, listed.text
    return next(pull for pull in listed.json if pull["number"] == number)


def test_a_pull_get_renders_its_parts_as_the_list_does(forge):
    assert forge.post("/orgs", {"username": "acme"}).status_code == 201
    assert forge.post("/orgs/acme/repos", {"name": "app", "auto_init": True}).status_code == 201
    team = forge.post("/orgs/acme/teams", {"name": "core", "permission": "write",
                                           "units": ["repo.code", "repo.pulls"]})
    assert team.status_code == 201, team.text
    for member in ("wanda", "rita"):
        assert forge.put(f"/teams/{team.json['id']}/members/{member}").status_code == 204
    pull = forge.feature_pull("acme/app", files={"code.py": "a = 1\nb = 2\n"})
    path = f"/repos/acme/app/pulls/{pull['number']}"
    # rita first: the oldest request comes first, whatever the ids of the accounts.
    for body in ({"reviewers": ["rita"]}, {"team_reviewers": ["core"]}, {"reviewers": ["wanda"]}):
        response = forge.post(f"{path}/requested_reviewers", body)
        assert response.status_code == 201, response.text
    review = forge.post(f"{path}/reviews", {"event": "COMMENT", "body": "", "comments": [
        {"path": "code.py", "body": "why 2?", "new_position": 2}]}, as_user="root")
    assert review.status_code == 200, review.text

    got = forge.get(path)
    assert got.status_code == 200, got.text
    assert [user["login"] for user in got.json["requested_reviewers"]] == ["rita", "wanda"]
    [core] = got.json["requested_reviewers_teams"]
    assert core["name"] == "core" and core["organization"]["username"] == "acme"
    assert got.json["review_comments"] == 1 and got.json["merged_by"] is None
    assert got.json == _listed(forge, pull["number"])

    merged = forge.post(f"{path}/merge", {"Do": "merge"})
    assert merged.status_code == 200, merged.text
    got = forge.get(path)
    assert got.json["merged_by"]["login"] == "alice" and got.json["merged"] is True
    assert got.json == _listed(forge, pull["number"])
