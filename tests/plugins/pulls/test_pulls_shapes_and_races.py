"""Wire shapes against Gitea's definitions (gitea-swagger-v1.json, 1.27-dev), the OpenAPI
document, racing creators, and the job that checks pull requests left in ``checking``."""

from __future__ import annotations

import concurrent.futures

from plue_core.testing import recorded_statements
from plue_pulls import mergeability
from plue_pulls.models import PullRequest

PULL_REQUEST = {
    "additions", "allow_maintainer_edit", "assignee", "assignees", "base", "body", "changed_files",
    "closed_at", "comments", "content_version", "created_at", "deletions", "diff_url", "draft",
    "due_date", "head", "html_url", "id", "is_locked", "labels", "merge_base", "merge_commit_sha",
    "mergeable", "merged", "merged_at", "merged_by", "milestone", "number", "patch_url", "pin_order",
    "requested_reviewers", "requested_reviewers_teams", "review_comments", "state", "title",
    "updated_at", "url", "user"}
PR_BRANCH_INFO = {"label", "ref", "repo", "repo_id", "sha"}
PULL_REVIEW = {"body", "comments_count", "commit_id", "dismissed", "html_url", "id", "official",
               "pull_request_url", "stale", "state", "submitted_at", "team", "updated_at", "user"}
PULL_REVIEW_COMMENT = {
    "body", "commit_id", "created_at", "diff_hunk", "html_url", "id", "original_commit_id",
    "original_position", "path", "position", "pull_request_review_id", "pull_request_url",
    "resolver", "updated_at", "user"}
CHANGED_FILE = {"additions", "changes", "contents_url", "deletions", "filename", "html_url",
                "raw_url", "status"}  # previous_filename: only for renames (omitempty)
BRANCH_PROTECTION = {
    "approvals_whitelist_teams", "approvals_whitelist_username", "block_admin_merge_override",
    "block_on_official_review_requests", "block_on_outdated_branch", "block_on_rejected_reviews",
    "branch_name", "bypass_allowlist_teams", "bypass_allowlist_usernames", "created_at",
    "dismiss_stale_approvals", "enable_approvals_whitelist", "enable_bypass_allowlist",
    "enable_force_push", "enable_force_push_allowlist", "enable_merge_whitelist", "enable_push",
    "enable_push_whitelist", "enable_status_check", "force_push_allowlist_deploy_keys",
    "force_push_allowlist_teams", "force_push_allowlist_usernames", "ignore_stale_approvals",
    "merge_whitelist_teams", "merge_whitelist_usernames", "priority", "protected_file_patterns",
    "push_whitelist_deploy_keys", "push_whitelist_teams", "push_whitelist_usernames",
    "require_signed_commits", "required_approvals", "rule_name", "status_check_contexts",
    "unprotected_file_patterns", "updated_at"}


def test_every_shape_has_exactly_gitea_fields(forge):
    forge.commit("alice/project", "main", {"code.txt": "1\n2\n"})
    forge.commit("alice/project", "main", {"code.txt": "1\ntwo\n"}, new_branch="feature", as_user="wanda")
    pull = forge.open_pull(as_user="wanda")
    assert set(pull) == PULL_REQUEST
    assert set(pull["base"]) == set(pull["head"]) == PR_BRANCH_INFO
    review = forge.post(f"/repos/alice/project/pulls/{pull['number']}/reviews", {
        "event": "COMMENT", "comments": [{"path": "code.txt", "body": "hm", "new_position": 2}]}).json
    assert set(review) == PULL_REVIEW
    [comment] = forge.get(f"/repos/alice/project/pulls/{pull['number']}/reviews/{review['id']}/comments").json
    assert set(comment) == PULL_REVIEW_COMMENT
    [changed] = forge.get(f"/repos/alice/project/pulls/{pull['number']}/files").json
    assert set(changed) == CHANGED_FILE
    rule = forge.post("/repos/alice/project/branch_protections", {"rule_name": "main"}).json
    assert set(rule) == BRANCH_PROTECTION
    assert set(forge.get("/repos/alice/project/pulls").json[0]) == PULL_REQUEST


def test_the_openapi_document_lists_the_pull_request_routes(forge):
    document = forge.client.simulate_get("/api/openapi.json")
    assert document.status_code == 200
    paths = document.json["paths"]
    assert "post" in paths["/api/v1/repos/{owner}/{repo}/pulls/{index}/merge"]
    assert "get" in paths["/api/v1/repos/{owner}/{repo}/branch_protections/{name}"]


def test_racing_creators_of_the_same_pull_request_get_one_201_and_409s_and_no_gap(forge):
    forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="feature")

    def attempt(_):
        return forge.post("/repos/alice/project/pulls",
                          {"head": "feature", "base": "main", "title": "race"}).status_code

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        codes = sorted(pool.map(attempt, range(4)))
    assert codes == [201, 409, 409, 409]
    assert forge.post("/repos/alice/project/issues", {"title": "after"}).json["number"] == 2


def test_the_check_job_settles_pull_requests_left_checking_by_a_push(forge):
    forge.commit("alice/project", "main", {"same.txt": "base\n"})
    pull = forge.feature_pull(files={"same.txt": "feature\n"})
    forge.commit("alice/project", "main", {"same.txt": "main\n"})
    row = PullRequest.get_by_id(pull["id"])
    assert row.status == "checking"
    listed = forge.get("/repos/alice/project/pulls").json[0]
    assert listed["mergeable"] is False  # Gitea: not mergeable while checking
    assert mergeability.check_pending(forge.ctx.services["pulls"]) == 1
    row = PullRequest.get_by_id(pull["id"])
    assert row.status == "conflict" and row.conflicts == ["same.txt"]
    assert mergeability.check_pending(forge.ctx.services["pulls"]) == 0


def _queries_of_a_list(forge) -> int:
    with recorded_statements(forge.ctx.db) as executed:
        assert forge.get("/repos/alice/project/pulls", params={"limit": "50"}).status_code == 200
    return len(executed)


def test_a_list_costs_as_many_queries_for_ten_pull_requests_as_for_three(forge):
    for i in range(10):
        forge.commit("alice/project", "main", {f"f{i}.txt": f"{i}\n"}, new_branch=f"b{i}")
        forge.open_pull(head=f"b{i}", title=f"pr {i}", as_user="wanda" if i % 2 else "alice")
        if i == 2:
            three = _queries_of_a_list(forge)
    assert _queries_of_a_list(forge) == three


def test_two_racing_merges_of_one_pull_request_merge_it_once(forge):
    pull = forge.feature_pull()
    forge.commit("alice/project", "main", {"other.txt": "other\n"})
    before = forge.branch_sha("alice/project", "main")

    def attempt(_):
        return forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"do": "merge"}).status_code

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        codes = sorted(pool.map(attempt, range(3)))
    assert codes[0] == 200 and all(code in (405, 409) for code in codes[1:]), codes
    tip = forge.branch_sha("alice/project", "main")
    assert forge.git("alice/project", "rev-parse", f"{tip}^1") == before
    assert len(forge.recorder.of("pull_request", action="closed")) == 1
