"""Request bodies, with Gitea's option names (unknown fields are ignored, as Gitea does)."""

from __future__ import annotations

from marshmallow import Schema, fields, pre_load, validate

from plue_core.validation import int64

MERGE_STYLES = ("merge", "rebase", "rebase-merge", "squash", "fast-forward-only")


class IdentityOption(Schema):
    name = fields.String(load_default="")
    email = fields.String(load_default="")


class CommitDateOptions(Schema):
    author = fields.String(load_default="")
    committer = fields.String(load_default="")


class CreateRepoOption(Schema):
    name = fields.String(required=True)
    description = fields.String(load_default="", validate=validate.Length(max=2048))
    private = fields.Boolean(load_default=False)
    auto_init = fields.Boolean(load_default=False)
    readme = fields.String(load_default="")
    default_branch = fields.String(load_default="", validate=validate.Length(max=100))
    gitignores = fields.String(load_default="")
    license = fields.String(load_default="")
    issue_labels = fields.String(load_default="")
    template = fields.Boolean(load_default=False)
    trust_model = fields.String(load_default="default", validate=validate.OneOf(
        ["default", "collaborator", "committer", "collaboratorcommitter"]))
    object_format_name = fields.String(load_default="", validate=validate.OneOf(["", "sha1", "sha256"]))


class InternalTrackerOption(Schema):
    enable_time_tracker = fields.Boolean(load_default=True)
    allow_only_contributors_to_track_time = fields.Boolean(load_default=True)
    enable_issue_dependencies = fields.Boolean(load_default=True)


class ExternalTrackerOption(Schema):
    external_tracker_url = fields.Url(required=True, require_tld=False)
    external_tracker_format = fields.String(load_default="")
    external_tracker_style = fields.String(load_default="numeric", validate=validate.OneOf(
        ["numeric", "alphanumeric", "regexp"]))
    external_tracker_regexp_pattern = fields.String(load_default="")


class ExternalWikiOption(Schema):
    external_wiki_url = fields.Url(required=True, require_tld=False)


class EditRepoOption(Schema):
    """Every field optional: only what is sent changes."""

    name = fields.String()
    description = fields.String(validate=validate.Length(max=2048))
    website = fields.String(validate=validate.Length(max=1024))
    private = fields.Boolean()
    template = fields.Boolean()
    archived = fields.Boolean()
    default_branch = fields.String(validate=validate.Length(min=1, max=255))
    has_code = fields.Boolean()
    has_issues = fields.Boolean()
    has_wiki = fields.Boolean()
    has_pull_requests = fields.Boolean()
    has_projects = fields.Boolean()
    has_releases = fields.Boolean()
    has_packages = fields.Boolean()
    has_actions = fields.Boolean()
    projects_mode = fields.String(validate=validate.OneOf(["repo", "owner", "all"]))
    ignore_whitespace_conflicts = fields.Boolean()
    allow_merge_commits = fields.Boolean()
    allow_rebase = fields.Boolean()
    allow_rebase_explicit = fields.Boolean()
    allow_squash_merge = fields.Boolean()
    allow_fast_forward_only_merge = fields.Boolean()
    allow_rebase_update = fields.Boolean()
    allow_merge_update = fields.Boolean()
    allow_manual_merge = fields.Boolean()
    autodetect_manual_merge = fields.Boolean()
    default_delete_branch_after_merge = fields.Boolean()
    default_merge_style = fields.String(validate=validate.OneOf(MERGE_STYLES))
    default_update_style = fields.String(validate=validate.OneOf(["merge", "rebase"]))
    default_allow_maintainer_edit = fields.Boolean()
    internal_tracker = fields.Nested(InternalTrackerOption, allow_none=True)
    external_tracker = fields.Nested(ExternalTrackerOption, allow_none=True)
    external_wiki = fields.Nested(ExternalWikiOption, allow_none=True)


class CreateForkOption(Schema):
    organization = fields.String(load_default=None, allow_none=True)
    name = fields.String(load_default=None, allow_none=True)


class CreateBranchRepoOption(Schema):
    new_branch_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    old_branch_name = fields.String(load_default="")
    old_ref_name = fields.String(load_default="")

    @pre_load
    def seed_names(self, data, **kwargs):
        """Seed 000's SDK sends ``{"branch", "source"}``; they mean Gitea's
        ``new_branch_name`` and ``old_ref_name`` (Gitea's own names win when both are sent)."""
        if isinstance(data, dict):
            data = dict(data)
            if "branch" in data:
                data.setdefault("new_branch_name", data.pop("branch"))
            if "source" in data:
                data.setdefault("old_ref_name", data.pop("source"))
        return data


class CreateTagOption(Schema):
    tag_name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    message = fields.String(load_default="")
    target = fields.String(load_default="")


class FileOptions(Schema):
    """What every contents write shares (Gitea's ``FileOptions``)."""

    message = fields.String(load_default="")
    branch = fields.String(load_default="", validate=validate.Length(max=100))
    new_branch = fields.String(load_default="", validate=validate.Length(max=100))
    author = fields.Nested(IdentityOption, load_default=dict)
    committer = fields.Nested(IdentityOption, load_default=dict)
    dates = fields.Nested(CommitDateOptions, load_default=dict)
    signoff = fields.Boolean(load_default=False)
    force_push = fields.Boolean(load_default=False)


class CreateFileOptions(FileOptions):
    content = fields.String(required=True)


class UpdateFileOptions(FileOptions):
    content = fields.String(required=True)
    sha = fields.String(load_default="")
    from_path = fields.String(load_default="", validate=validate.Length(max=500))


class DeleteFileOptions(FileOptions):
    sha = fields.String(required=True)


class ChangeFileOperation(Schema):
    operation = fields.String(required=True, validate=validate.OneOf(
        ["create", "update", "upload", "rename", "delete"]))
    path = fields.String(required=True, validate=validate.Length(min=1, max=500))
    content = fields.String(load_default="")
    sha = fields.String(load_default="")
    from_path = fields.String(load_default="", validate=validate.Length(max=500))


class ChangeFilesOptions(FileOptions):
    files = fields.List(fields.Nested(ChangeFileOperation), required=True,
                        validate=validate.Length(min=1))


class AddCollaboratorOption(Schema):
    permission = fields.String(load_default="write", validate=validate.OneOf(["read", "write", "admin"]))


class CreateTagProtectionOption(Schema):
    name_pattern = fields.String(load_default="", allow_none=True,
                                 validate=validate.Length(max=255))
    whitelist_usernames = fields.List(fields.String(), load_default=list, allow_none=True)
    whitelist_teams = fields.List(fields.String(), load_default=list, allow_none=True)


class EditTagProtectionOption(Schema):
    """Only the fields given change."""

    name_pattern = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=255))
    whitelist_usernames = fields.List(fields.String(), load_default=None, allow_none=True)
    whitelist_teams = fields.List(fields.String(), load_default=None, allow_none=True)


class TransferRepoOption(Schema):
    """Gitea's ``TransferRepoOption``."""

    new_owner = fields.String(required=True)
    team_ids = fields.List(fields.Integer(strict=True, validate=int64), allow_none=True)
