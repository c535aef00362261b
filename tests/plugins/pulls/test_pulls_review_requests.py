"""Requested reviewers, as Gitea keeps them: REQUEST_REVIEW reviews that a submitted review
answers."""

from __future__ import annotations


def requests_path(number: int) -> str:
    return f"/repos/alice/project/pulls/{number}/requested_reviewers"


def test_requesting_reviewers_answers_201_with_request_reviews_and_lists_them_on_the_pull(forge):
    pull = forge.feature_pull()
    response = forge.post(requests_path(pull["number"]), {"reviewers": ["wanda", "rita"]})
    assert response.status_code == 201, response.text
    assert [(r["state"], r["user"]["login"]) for r in response.json] == [
        ("REQUEST_REVIEW", "wanda"), ("REQUEST_REVIEW", "rita")]
    assert response.json[0]["pull_request_url"] == pull["html_url"]
    shown = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert [u["login"] for u in shown["requested_reviewers"]] == ["wanda", "rita"]
    listed = forge.get("/repos/alice/project/pulls").json
    assert [u["login"] for u in listed[0]["requested_reviewers"]] == ["wanda", "rita"]
    again = forge.post(requests_path(pull["number"]), {"reviewers": ["wanda"]})
    assert again.status_code == 201 and again.json == []


def test_cancelling_a_review_request_answers_204_and_removes_it(forge):
    pull = forge.feature_pull()
    forge.post(requests_path(pull["number"]), {"reviewers": ["wanda", "rita"]})
    response = forge.delete(requests_path(pull["number"]), {"reviewers": ["wanda", "oscar"]})
    assert response.status_code == 204, response.text
    shown = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert [u["login"] for u in shown["requested_reviewers"]] == ["rita"]


def test_a_submitted_review_answers_the_reviewers_request(forge):
    pull = forge.feature_pull()
    forge.post(requests_path(pull["number"]), {"reviewers": ["wanda"]})
    review = forge.post(f"/repos/alice/project/pulls/{pull['number']}/reviews",
                        {"event": "APPROVED"}, as_user="wanda")
    assert review.status_code == 200, review.text
    shown = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert shown["requested_reviewers"] == []
    states = [r["state"] for r in forge.get(f"/repos/alice/project/pulls/{pull['number']}/reviews").json]
    assert states == ["APPROVED"]


def test_reviewers_who_cannot_read_or_wrote_the_pull_are_refused_with_422(forge):
    forge.commit("alice/secret", "main", {"x.txt": "x\n"}, new_branch="feature")
    secret = forge.open_pull("alice/secret")
    outsider = forge.post(f"/repos/alice/secret/pulls/{secret['number']}/requested_reviewers",
                          {"reviewers": ["oscar"]})
    assert outsider.status_code == 422 and "oscar" in outsider.json["message"]
    pull = forge.feature_pull()
    author = forge.post(requests_path(pull["number"]), {"reviewers": ["alice"]})
    assert author.status_code == 422 and "poster" in author.json["message"]
    shown = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert shown["requested_reviewers"] == []


def test_unknown_reviewers_are_404_and_team_reviewers_are_refused_by_name(forge):
    pull = forge.feature_pull()
    unknown = forge.post(requests_path(pull["number"]), {"reviewers": ["nobody"]})
    assert unknown.status_code == 404 and "nobody" in unknown.json["message"]
    teams = forge.post(requests_path(pull["number"]), {"team_reviewers": ["core"]})
    assert teams.status_code == 422 and "core" in teams.json["message"]


def test_only_the_author_or_a_writer_may_choose_reviewers(forge):
    pull = forge.feature_pull()
    reader = forge.post(requests_path(pull["number"]), {"reviewers": ["wanda"]}, as_user="rita")
    assert reader.status_code == 422 and "rita" in reader.json["message"]
    anonymous = forge.post(requests_path(pull["number"]), {"reviewers": ["wanda"]}, as_user=None)
    assert anonymous.status_code == 401
    forge.post(requests_path(pull["number"]), {"reviewers": ["rita"]})
    withdrawn = forge.delete(requests_path(pull["number"]), {"reviewers": ["rita"]}, as_user="rita")
    assert withdrawn.status_code == 204
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["requested_reviewers"] == []


def test_requested_reviewers_of_a_private_repository_are_404_to_outsiders(forge):
    forge.commit("alice/secret", "main", {"x.txt": "x\n"}, new_branch="feature")
    secret = forge.open_pull("alice/secret")
    response = forge.post(f"/repos/alice/secret/pulls/{secret['number']}/requested_reviewers",
                          {"reviewers": ["alice"]}, as_user="oscar")
    assert response.status_code == 404
