"""Response shapes for the OpenAPI document; the bodies are built in ``shapes.py`` (a test
compares both with Gitea's spec)."""

from __future__ import annotations

from marshmallow import Schema, fields

_USER = fields.Dict(allow_none=True)


class PRBranchInfoDocument(Schema):
    label = fields.String()
    ref = fields.String()
    sha = fields.String()
    repo_id = fields.Integer()
    repo = fields.Dict(allow_none=True)


PullRequestDocument = Schema.from_dict({
    **{name: fields.Integer() for name in ("id", "number", "comments", "review_comments",
                                           "additions", "deletions", "changed_files",
                                           "pin_order", "content_version")},
    **{name: fields.String() for name in ("url", "title", "body", "state", "html_url",
                                          "diff_url", "patch_url", "merge_base")},
    **{name: fields.Boolean() for name in ("draft", "is_locked", "mergeable", "merged",
                                           "allow_maintainer_edit")},
    **{name: fields.DateTime(allow_none=True) for name in ("merged_at", "due_date", "created_at",
                                                           "updated_at", "closed_at")},
    "merge_commit_sha": fields.String(allow_none=True),
    "user": _USER, "assignee": _USER, "merged_by": _USER,
    "assignees": fields.List(fields.Dict(), allow_none=True),
    "labels": fields.List(fields.Dict()),
    "milestone": fields.Dict(allow_none=True),
    "requested_reviewers": fields.List(fields.Dict()),
    "requested_reviewers_teams": fields.List(fields.Dict()),
    "base": fields.Nested(PRBranchInfoDocument),
    "head": fields.Nested(PRBranchInfoDocument),
}, name="PullRequestDocument")


class PullReviewDocument(Schema):
    id = fields.Integer()
    user = _USER
    team = fields.Dict(allow_none=True)
    state = fields.String()
    body = fields.String()
    commit_id = fields.String()
    stale = fields.Boolean()
    official = fields.Boolean()
    dismissed = fields.Boolean()
    comments_count = fields.Integer()
    submitted_at = fields.DateTime()
    updated_at = fields.DateTime()
    html_url = fields.String()
    pull_request_url = fields.String()


class PullReviewCommentDocument(Schema):
    id = fields.Integer()
    body = fields.String()
    user = _USER
    resolver = _USER
    pull_request_review_id = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    path = fields.String()
    commit_id = fields.String()
    original_commit_id = fields.String()
    diff_hunk = fields.String()
    position = fields.Integer()
    original_position = fields.Integer()
    html_url = fields.String()
    pull_request_url = fields.String()


class ChangedFileDocument(Schema):
    filename = fields.String()
    previous_filename = fields.String()
    status = fields.String()
    additions = fields.Integer()
    deletions = fields.Integer()
    changes = fields.Integer()
    html_url = fields.String()
    contents_url = fields.String()
    raw_url = fields.String()


BranchProtectionDocument = Schema.from_dict({
    "branch_name": fields.String(), "rule_name": fields.String(), "priority": fields.Integer(),
    "required_approvals": fields.Integer(),
    **{name: fields.Boolean() for name in (
        "enable_push", "enable_push_whitelist", "push_whitelist_deploy_keys", "enable_force_push",
        "enable_force_push_allowlist", "force_push_allowlist_deploy_keys", "enable_merge_whitelist",
        "enable_status_check", "enable_approvals_whitelist", "block_on_rejected_reviews",
        "block_on_official_review_requests", "block_on_outdated_branch", "dismiss_stale_approvals",
        "ignore_stale_approvals", "require_signed_commits", "block_admin_merge_override",
        "enable_bypass_allowlist")},
    **{name: fields.List(fields.String()) for name in (
        "push_whitelist_usernames", "push_whitelist_teams", "force_push_allowlist_usernames",
        "force_push_allowlist_teams", "merge_whitelist_usernames", "merge_whitelist_teams",
        "approvals_whitelist_username", "approvals_whitelist_teams", "bypass_allowlist_usernames",
        "bypass_allowlist_teams", "status_check_contexts")},
    "protected_file_patterns": fields.String(), "unprotected_file_patterns": fields.String(),
    "created_at": fields.DateTime(), "updated_at": fields.DateTime(),
}, name="BranchProtectionDocument")
