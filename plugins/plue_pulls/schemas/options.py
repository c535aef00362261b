"""Gitea's request bodies for pull requests, reviews, merges and branch protection (field names
as in Gitea's OpenAPI). Unknown fields are ignored, as Gitea does."""

from __future__ import annotations

from marshmallow import Schema, fields, pre_load, validate

from plue_core.integers import INT64_MAX
from plue_core.validation import UtcDateTime, int64, title_length

REVIEW_EVENTS = ("APPROVED", "PENDING", "COMMENT", "REQUEST_CHANGES", "REQUEST_REVIEW")
MERGE_STYLES = ("merge", "rebase", "rebase-merge", "squash", "fast-forward-only", "manually-merged")



class CreatePullRequestOption(Schema):
    head = fields.String(required=True, validate=validate.Length(min=1, max=255))
    base = fields.String(required=True, validate=validate.Length(min=1, max=255))
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))
    body = fields.String(load_default="", allow_none=True)
    assignee = fields.String(load_default=None, allow_none=True)
    assignees = fields.List(fields.String(), load_default=list, allow_none=True)
    labels = fields.List(fields.Integer(strict=True, validate=int64), load_default=list, allow_none=True)
    milestone = fields.Integer(strict=True, validate=int64, load_default=None, allow_none=True)
    due_date = UtcDateTime(load_default=None, allow_none=True)
    reviewers = fields.List(fields.String(), load_default=list, allow_none=True)
    team_reviewers = fields.List(fields.String(), load_default=list, allow_none=True)
    allow_maintainer_edit = fields.Boolean(load_default=False)


class EditPullRequestOption(Schema):
    title = fields.String(allow_none=True, validate=title_length)
    body = fields.String(allow_none=True)
    base = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    assignees = fields.List(fields.String(), allow_none=True)
    labels = fields.List(fields.Integer(strict=True, validate=int64), allow_none=True)
    milestone = fields.Integer(strict=True, validate=int64, allow_none=True)
    state = fields.String(allow_none=True)
    due_date = UtcDateTime(allow_none=True)
    unset_due_date = fields.Boolean(allow_none=True)
    content_version = fields.Integer(strict=True, validate=int64, allow_none=True)
    allow_maintainer_edit = fields.Boolean(allow_none=True)


class MergePullRequestOption(Schema):
    """``do`` (or the legacy ``Do``) and friends; Gitea still reads ``MergeTitleField``,
    ``MergeMessageField`` and ``MergeCommitID``."""

    do = fields.String(required=True, validate=validate.OneOf(MERGE_STYLES))  # Gitea: Required
    merge_title_field = fields.String(load_default="", allow_none=True)
    merge_message_field = fields.String(load_default="", allow_none=True)
    merge_commit_id = fields.String(load_default="", allow_none=True)
    head_commit_id = fields.String(load_default="", allow_none=True)
    force_merge = fields.Boolean(load_default=False)
    merge_when_checks_succeed = fields.Boolean(load_default=False)
    delete_branch_after_merge = fields.Boolean(load_default=None, allow_none=True)

    @pre_load
    def legacy_names(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for legacy, name in (("Do", "do"), ("MergeTitleField", "merge_title_field"),
                             ("MergeMessageField", "merge_message_field"),
                             ("MergeCommitID", "merge_commit_id")):
            if legacy in data and name not in data:
                data[name] = data.pop(legacy)
        return data


class CreatePullReviewComment(Schema):
    path = fields.String(required=True, validate=validate.Length(min=1))
    body = fields.String(load_default="", allow_none=True)
    old_position = fields.Integer(strict=True, load_default=0, validate=int64)
    new_position = fields.Integer(strict=True, load_default=0, validate=int64)


class CreatePullReviewOptions(Schema):
    event = fields.String(load_default="", allow_none=True)
    body = fields.String(load_default="", allow_none=True)
    commit_id = fields.String(load_default="", allow_none=True)
    comments = fields.List(fields.Nested(CreatePullReviewComment), load_default=list,
                           allow_none=True)


class SubmitPullReviewOptions(Schema):
    event = fields.String(load_default="", allow_none=True)
    body = fields.String(load_default="", allow_none=True)


class PullReviewRequestOptions(Schema):
    reviewers = fields.List(fields.String(), load_default=list, allow_none=True)
    team_reviewers = fields.List(fields.String(), load_default=list, allow_none=True)


class DismissPullReviewOptions(Schema):
    message = fields.String(load_default="", allow_none=True)
    priors = fields.Boolean(load_default=False)


_NAMES = fields.List(fields.String(), allow_none=True)


def _protection_fields(*, create: bool) -> dict:
    result = {name: fields.Boolean(allow_none=True) for name in (
        "enable_push", "enable_push_whitelist", "push_whitelist_deploy_keys", "enable_force_push",
        "enable_force_push_allowlist", "force_push_allowlist_deploy_keys", "enable_merge_whitelist",
        "enable_status_check", "enable_approvals_whitelist", "block_on_rejected_reviews",
        "block_on_official_review_requests", "block_on_outdated_branch", "dismiss_stale_approvals",
        "ignore_stale_approvals", "require_signed_commits", "block_admin_merge_override",
        "enable_bypass_allowlist")}
    result.update({name: _NAMES for name in (
        "push_whitelist_usernames", "push_whitelist_teams", "force_push_allowlist_usernames",
        "force_push_allowlist_teams", "merge_whitelist_usernames", "merge_whitelist_teams",
        "approvals_whitelist_username", "approvals_whitelist_teams", "bypass_allowlist_usernames",
        "bypass_allowlist_teams", "status_check_contexts")})
    result.update(protected_file_patterns=fields.String(allow_none=True),
                  unprotected_file_patterns=fields.String(allow_none=True),
                  required_approvals=fields.Integer(strict=True, allow_none=True,
                                                    validate=validate.Range(min=0, max=INT64_MAX)),
                  priority=fields.Integer(strict=True, allow_none=True, validate=int64))
    if create:
        result.update(rule_name=fields.String(allow_none=True, validate=validate.Length(max=255)),
                      branch_name=fields.String(allow_none=True, validate=validate.Length(max=255)))
    return result


CreateBranchProtectionOption = Schema.from_dict(_protection_fields(create=True),
                                                name="CreateBranchProtectionOption")
EditBranchProtectionOption = Schema.from_dict(_protection_fields(create=False),
                                              name="EditBranchProtectionOption")


class CreatePullReviewCommentReplyOptions(Schema):
    body = fields.String(load_default="", allow_none=True)
