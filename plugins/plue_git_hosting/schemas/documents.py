"""Response shapes for the OpenAPI document (the bodies themselves are built in ``shapes/``;
tests check both against Gitea's spec)."""

from __future__ import annotations

from marshmallow import Schema, fields


class PermissionDocument(Schema):
    admin = fields.Boolean()
    push = fields.Boolean()
    pull = fields.Boolean()


class OwnerDocument(Schema):
    id = fields.Integer()
    login = fields.String()
    full_name = fields.String()
    email = fields.String()
    avatar_url = fields.String()
    html_url = fields.String()
    visibility = fields.String()
    username = fields.String()


_BOOLEANS = (
    "empty", "private", "fork", "template", "mirror", "archived", "has_code", "has_issues",
    "has_wiki", "has_pull_requests", "has_projects", "has_releases", "has_packages",
    "has_actions", "ignore_whitespace_conflicts", "allow_merge_commits", "allow_rebase",
    "allow_rebase_explicit", "allow_squash_merge", "allow_fast_forward_only_merge",
    "allow_rebase_update", "allow_merge_update", "allow_manual_merge", "autodetect_manual_merge",
    "default_delete_branch_after_merge", "default_allow_maintainer_edit", "internal",
)
_INTEGERS = ("id", "size", "stars_count", "forks_count", "watchers_count", "open_issues_count",
             "open_pr_counter", "release_counter", "branch_count")
_STRINGS = ("name", "full_name", "description", "language", "languages_url", "html_url", "url",
            "link", "ssh_url", "clone_url", "original_url", "website", "default_branch",
            "default_target_branch", "projects_mode", "default_merge_style",
            "default_update_style", "avatar_url", "mirror_interval", "object_format_name")
_TIMES = ("archived_at", "created_at", "updated_at", "mirror_updated", "mirror_last_sync_at")

RepositoryDocument = Schema.from_dict(
    {**{name: fields.Boolean() for name in _BOOLEANS},
     **{name: fields.Integer() for name in _INTEGERS},
     **{name: fields.String() for name in _STRINGS},
     **{name: fields.DateTime() for name in _TIMES},
     "owner": fields.Nested(OwnerDocument),
     "permissions": fields.Nested(PermissionDocument),
     # Omitted when empty, as Gitea's omitempty tags do (shapes/repository.py).
     "parent": fields.Dict(),
     "internal_tracker": fields.Dict(),
     "external_tracker": fields.Dict(),
     "external_wiki": fields.Dict(),
     "repo_transfer": fields.Dict(),
     "topics": fields.List(fields.String()),
     "licenses": fields.List(fields.String())},
    name="RepositoryDocument")


class PayloadUserDocument(Schema):
    name = fields.String()
    email = fields.String()
    username = fields.String()


class PayloadCommitDocument(Schema):
    id = fields.String()
    message = fields.String()
    url = fields.String()
    author = fields.Nested(PayloadUserDocument)
    committer = fields.Nested(PayloadUserDocument)
    timestamp = fields.DateTime()
    added = fields.List(fields.String())
    removed = fields.List(fields.String())
    modified = fields.List(fields.String())
    verification = fields.Dict()


class BranchDocument(Schema):
    name = fields.String()
    commit = fields.Nested(PayloadCommitDocument)
    protected = fields.Boolean()
    required_approvals = fields.Integer()
    enable_status_check = fields.Boolean()
    status_check_contexts = fields.List(fields.String())
    user_can_push = fields.Boolean()
    user_can_merge = fields.Boolean()
    effective_branch_protection_name = fields.String()


class CommitMetaDocument(Schema):
    url = fields.String()
    sha = fields.String()
    created = fields.DateTime()


class TagDocument(Schema):
    name = fields.String()
    message = fields.String()
    id = fields.String()
    commit = fields.Nested(CommitMetaDocument)
    zipball_url = fields.String()
    tarball_url = fields.String()


class ContentsDocument(Schema):
    name = fields.String()
    path = fields.String()
    sha = fields.String()
    type = fields.String()
    size = fields.Integer()
    encoding = fields.String(allow_none=True)
    content = fields.String(allow_none=True)
    target = fields.String(allow_none=True)
    url = fields.String()
    html_url = fields.String()
    git_url = fields.String()
    download_url = fields.String(allow_none=True)
    submodule_git_url = fields.String(allow_none=True)
    _links = fields.Dict(data_key="_links")
    last_commit_sha = fields.String()
    last_committer_date = fields.DateTime()
    last_author_date = fields.DateTime()


class CommitUserDocument(Schema):
    name = fields.String()
    email = fields.String()
    date = fields.String()


class FileCommitDocument(Schema):
    url = fields.String()
    sha = fields.String()
    created = fields.DateTime()
    html_url = fields.String()
    author = fields.Nested(CommitUserDocument)
    committer = fields.Nested(CommitUserDocument)
    parents = fields.List(fields.Nested(CommitMetaDocument))
    message = fields.String()
    tree = fields.Nested(CommitMetaDocument)


class FileResponseDocument(Schema):
    content = fields.Nested(ContentsDocument, allow_none=True)
    commit = fields.Nested(FileCommitDocument)
    verification = fields.Dict()


class FilesResponseDocument(Schema):
    files = fields.List(fields.Nested(ContentsDocument))
    commit = fields.Nested(FileCommitDocument)
    verification = fields.Dict()


class CommitDocument(Schema):
    url = fields.String()
    sha = fields.String()
    created = fields.DateTime()
    html_url = fields.String()
    commit = fields.Dict()
    author = fields.Nested(OwnerDocument, allow_none=True)
    committer = fields.Nested(OwnerDocument, allow_none=True)
    parents = fields.List(fields.Nested(CommitMetaDocument))
    files = fields.List(fields.Dict(), allow_none=True)
    stats = fields.Dict(allow_none=True)


class CompareDocument(Schema):
    total_commits = fields.Integer()
    commits = fields.List(fields.Nested(CommitDocument))


class GitEntryDocument(Schema):
    path = fields.String()
    mode = fields.String()
    type = fields.String()
    size = fields.Integer()
    sha = fields.String()
    url = fields.String()


class GitTreeDocument(Schema):
    sha = fields.String()
    url = fields.String()
    tree = fields.List(fields.Nested(GitEntryDocument))
    truncated = fields.Boolean()
    page = fields.Integer()
    total_count = fields.Integer()


class GitBlobDocument(Schema):
    content = fields.String(allow_none=True)
    encoding = fields.String(allow_none=True)
    url = fields.String()
    sha = fields.String()
    size = fields.Integer()


class ReferenceDocument(Schema):
    ref = fields.String()
    url = fields.String()
    object = fields.Dict()
