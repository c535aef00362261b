"""The ``[tracked_repos]`` config section (documented in docs/tracked_repos.md)."""

from marshmallow import Schema, fields, validate

_positive = validate.Range(min=1)
_http_url = validate.Regexp(r"^https?://[^/\s]+", error="must be an http:// or https:// URL")
_http_url_or_empty = validate.Regexp(r"^(https?://[^/\s]+.*)?$",
                                     error="must be empty or an http:// or https:// URL")


class TrackedReposSettings(Schema):
    # GitHub's REST API root; GitHub Enterprise or a test server can be put here.
    github_api_url = fields.String(load_default="https://api.github.com", validate=_http_url)
    # Optional token sent as "Authorization: Bearer" to github_api_url only (higher rate limit,
    # private repositories). A secret: never logged or returned (`plue config show` redacts it).
    github_token = fields.String(load_default="")
    # Empty: each GitLab repository is asked at its own host (https://<host>/api/v4).
    # Set: every GitLab repository is asked here instead (one self-hosted instance, tests).
    gitlab_api_url = fields.String(load_default="", validate=_http_url_or_empty)
    # Optional token sent as PRIVATE-TOKEN, and only to gitlab_api_url (never to a host a user
    # typed into a tracked URL).
    gitlab_token = fields.String(load_default="")
    # The scheduled job runs this often (seconds) and syncs repositories not synced for as long.
    sync_interval = fields.Integer(load_default=900, validate=_positive)
    # At most this many repositories per scheduled run or POST /api/github/sync (oldest sync
    # first; the rest wait for the next one).
    sync_batch_size = fields.Integer(load_default=50, validate=_positive)
    # Commits fetched per repository and sync (the providers' page size caps it at 100).
    commits_per_sync = fields.Integer(load_default=30, validate=validate.Range(min=1, max=100))
    # How often (seconds) the scheduler syncs the repositories a push webhook asked for.
    push_sync_interval = fields.Integer(load_default=5, validate=_positive)
    # Seconds to wait for a provider's answer.
    request_timeout = fields.Float(load_default=10.0, validate=validate.Range(min=0.1, max=120))
