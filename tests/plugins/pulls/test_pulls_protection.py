"""Branch protection: the rules API (Gitea's shapes and codes), approvals a merge needs, and
protected branches refusing deletion and direct writes through the API."""

from __future__ import annotations

import base64

from plue_pulls import protection

RULES = "/repos/alice/project/branch_protections"


def protect(forge, name: str = "main", **options) -> dict:
    response = forge.post(RULES, {"rule_name": name, **options})
    assert response.status_code == 201, response.text
    return response.json


def test_creating_reading_editing_and_deleting_a_rule(forge):
    rule = protect(forge, required_approvals=2, enable_push=True, enable_push_whitelist=True,
                   push_whitelist_usernames=["wanda"], block_on_rejected_reviews=True)
    assert rule["rule_name"] == "main" and rule["branch_name"] == "main"
    assert rule["required_approvals"] == 2 and rule["enable_push_whitelist"] is True
    assert rule["push_whitelist_usernames"] == ["wanda"] and rule["enable_force_push"] is False
    assert rule["created_at"] and rule["merge_whitelist_usernames"] == []
    assert [r["rule_name"] for r in forge.get(RULES).json] == ["main"]
    assert forge.get(f"{RULES}/main").json["required_approvals"] == 2
    edited = forge.patch(f"{RULES}/main", {"required_approvals": 1, "enable_push": False})
    assert edited.status_code == 200
    # Turning push off turns its allowlist off too (Gitea's coupling); the rest stays.
    assert edited.json["required_approvals"] == 1 and edited.json["enable_push_whitelist"] is False
    assert edited.json["block_on_rejected_reviews"] is True
    assert forge.delete(f"{RULES}/main").status_code == 204
    assert forge.get(f"{RULES}/main").status_code == 404
    assert forge.delete(f"{RULES}/main").status_code == 404


def test_glob_rules_and_their_shapes(forge):
    rule = protect(forge, "release/*")
    assert rule["branch_name"] == "" and rule["rule_name"] == "release/*"
    assert forge.get(f"{RULES}/release/*").json["rule_name"] == "release/*"
    assert protection.matches("release/*", "release/1.0") and not protection.matches("release/*", "release/1/x")
    assert protection.matches("release/**", "release/1/x") and protection.matches("Main", "main")
    assert protection.matches("v{1,2}.?", "v2.x") and not protection.matches("v{1,2}.?", "v3.x")


def test_rule_errors_answer_as_gitea(forge):
    protect(forge)
    duplicate = forge.post(RULES, {"rule_name": "main"})
    assert duplicate.status_code == 403 and duplicate.json["message"] == "Branch protection already exist"
    empty = forge.post(RULES, {})
    assert empty.status_code == 400 and "rule_name and branch_name are empty" in empty.json["message"]
    ghost = forge.post(RULES, {"rule_name": "dev", "push_whitelist_usernames": ["ghost"]})
    assert ghost.status_code == 422 and "ghost" in ghost.json["message"]
    teams = forge.post(RULES, {"rule_name": "dev", "push_whitelist_teams": ["devs"]})
    assert teams.status_code == 422
    negative = forge.post(RULES, {"rule_name": "dev", "required_approvals": -1})
    assert negative.status_code == 422
    assert forge.get(RULES, as_user="wanda").status_code == 403
    assert forge.post(RULES, {"rule_name": "x"}, as_user="wanda").status_code == 403
    assert forge.get(RULES, as_user=None).status_code == 401
    assert forge.get("/repos/alice/secret/branch_protections", as_user="oscar").status_code == 404


def test_a_merge_needs_the_required_official_approvals(forge):
    protect(forge, required_approvals=1)
    forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="feature", as_user="wanda")
    pull = forge.open_pull(as_user="wanda")
    merge_path = f"/repos/alice/project/pulls/{pull['number']}/merge"
    refused = forge.post(merge_path, {"do": "merge"}, as_user="wanda")
    assert refused.status_code == 405 and "Does not have enough approvals" in refused.json["message"]
    # A reader's approval is not official and does not count.
    forge.post(f"/repos/alice/project/pulls/{pull['number']}/reviews", {"event": "APPROVED"}, as_user="rita")
    assert forge.post(merge_path, {"do": "merge"}, as_user="wanda").status_code == 405
    forge.post(f"/repos/alice/project/pulls/{pull['number']}/reviews", {"event": "APPROVED"})
    assert forge.post(merge_path, {"do": "merge"}, as_user="wanda").status_code == 200


def test_a_later_change_request_replaces_the_reviewers_approval(forge):
    protect(forge, required_approvals=1, block_on_rejected_reviews=True)
    pull = forge.feature_pull(as_user="wanda")
    reviews = f"/repos/alice/project/pulls/{pull['number']}/reviews"
    forge.post(reviews, {"event": "APPROVED"})
    forge.post(reviews, {"event": "REQUEST_CHANGES", "body": "on second thought"})
    refused = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"do": "merge"})
    assert refused.status_code == 405


def test_an_admin_may_force_merge_unless_the_rule_blocks_it(forge):
    protect(forge, required_approvals=3)
    pull = forge.feature_pull()
    merge_path = f"/repos/alice/project/pulls/{pull['number']}/merge"
    assert forge.post(merge_path, {"do": "merge", "force_merge": True}, as_user="wanda").status_code == 405
    forge.patch(f"{RULES}/main", {"block_admin_merge_override": True})
    assert forge.post(merge_path, {"do": "merge", "force_merge": True}).status_code == 405
    forge.patch(f"{RULES}/main", {"block_admin_merge_override": False})
    assert forge.post(merge_path, {"do": "merge", "force_merge": True}).status_code == 200


def test_dismissing_stale_approvals_when_the_head_moves(forge):
    protect(forge, required_approvals=1, dismiss_stale_approvals=True)
    pull = forge.feature_pull(as_user="wanda")
    review = forge.post(f"/repos/alice/project/pulls/{pull['number']}/reviews", {"event": "APPROVED"}).json
    forge.commit("alice/project", "feature", {"g.txt": "g\n"}, as_user="wanda")
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}/reviews/{review['id']}").json["dismissed"] is True
    refused = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"do": "merge"})
    assert refused.status_code == 405


def test_the_merge_allowlist_limits_who_merges(forge):
    protect(forge, enable_merge_whitelist=True, merge_whitelist_usernames=["alice"])
    pull = forge.feature_pull()
    merge_path = f"/repos/alice/project/pulls/{pull['number']}/merge"
    refused = forge.post(merge_path, {"do": "merge"}, as_user="wanda")
    assert refused.status_code == 405 and refused.json["message"] == "User not allowed to merge PR"
    assert forge.post(merge_path, {"do": "merge"}).status_code == 200


def test_a_protected_branch_cannot_be_deleted_or_written_directly_through_the_api(forge):
    forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="stable")
    protect(forge, "stable")
    deleted = forge.delete("/repos/alice/project/branches/stable")
    assert deleted.status_code == 403 and "protected from deletion" in deleted.json["message"]
    before = forge.branch_sha("alice/project", "stable")
    write = forge.post("/repos/alice/project/contents/new.txt",
                       {"content": base64.b64encode(b"x").decode(), "branch": "stable"})
    assert write.status_code == 403 and "Not allowed to push to protected branch stable" in write.json["message"]
    assert forge.branch_sha("alice/project", "stable") == before
    # An allowlisted pusher may write; a pull request merges regardless of push rules.
    forge.patch(f"{RULES}/stable", {"enable_push": True, "enable_push_whitelist": True,
                                    "push_whitelist_usernames": ["wanda"]})
    allowed = forge.post("/repos/alice/project/contents/ok.txt",
                         {"content": base64.b64encode(b"x").decode(), "branch": "stable"},
                         as_user="wanda")
    assert allowed.status_code == 201
    pull = forge.feature_pull(base="stable")
    assert forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"do": "merge"}).status_code == 200


def test_ref_rules_for_pushers(forge):
    protect(forge, enable_push=True, enable_push_whitelist=True, push_whitelist_usernames=["wanda"],
            enable_force_push=True, enable_force_push_allowlist=True,
            force_push_allowlist_usernames=["alice"])
    accounts = forge.ctx.services["accounts"]
    repository = forge.ctx.services["git_hosting"].find_repository("alice", "project")
    [for_wanda] = protection.ref_rules(accounts, repository, accounts.find_user("wanda"))
    [for_alice] = protection.ref_rules(accounts, repository, accounts.find_user("alice"))
    assert (for_wanda["can_push"], for_wanda["can_force_push"], for_wanda["can_delete"]) == (True, False, False)
    # Force-pushing is a kind of pushing: alice is not on the push allowlist.
    assert (for_alice["can_push"], for_alice["can_force_push"]) == (False, False)


def test_the_branch_api_shows_protection_as_each_viewer_meets_it(forge):
    forge.commit("alice/project", "main", {"r.txt": "r\n"}, new_branch="release/1")
    forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="feature")
    protect(forge, required_approvals=2, enable_status_check=True, status_check_contexts=["ci"],
            enable_push=True, enable_push_whitelist=True, push_whitelist_usernames=["wanda"],
            enable_merge_whitelist=True, merge_whitelist_usernames=["alice"])
    protect(forge, "release/*")

    def branches(as_user):
        response = forge.get("/repos/alice/project/branches", as_user=as_user)
        assert response.status_code == 200, response.text
        return {branch["name"]: branch for branch in response.json}

    main = branches("alice")["main"]
    assert main["protected"] is True and main["effective_branch_protection_name"] == "main"
    assert main["required_approvals"] == 2 and main["enable_status_check"] is True
    assert main["status_check_contexts"] == ["ci"]
    assert (main["user_can_push"], main["user_can_merge"]) == (False, True)
    by_wanda = branches("wanda")
    assert (by_wanda["main"]["user_can_push"], by_wanda["main"]["user_can_merge"]) == (True, False)
    # A glob rule with push off: nobody pushes, writers merge.
    release = by_wanda["release/1"]
    assert release["protected"] is True and release["effective_branch_protection_name"] == "release/*"
    assert (release["user_can_push"], release["user_can_merge"]) == (False, True)
    feature = by_wanda["feature"]
    assert feature["protected"] is False and feature["effective_branch_protection_name"] == ""
    assert (feature["user_can_push"], feature["user_can_merge"]) == (True, True)
    for reader in ("rita", None):  # on the allowlists or not, reading never gives push or merge
        seen = branches(reader)["main"]
        assert seen["protected"] is True and (seen["user_can_push"], seen["user_can_merge"]) == (False, False)
    one = forge.get("/repos/alice/project/branches/main", as_user="wanda").json
    assert one["protected"] is True and one["user_can_push"] is True
    forge.delete(f"{RULES}/main")
    assert forge.get("/repos/alice/project/branches/main").json["protected"] is False
