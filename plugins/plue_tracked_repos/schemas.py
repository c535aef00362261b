"""Wire shapes: seed 003's repository object, the commits listing (a Plue addition) as
response shapes (plue_core.shapes), and the request bodies (marshmallow)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.shapes import Shape, boolean, integer, item, string, time
from plue_core.timestamps import rfc3339


class AddRepositoryRequest(Schema):
    url = fields.Raw(required=True, metadata={"description": "https://github.com/owner/name"})


# Seed 003's repository object (component names say "Tracked": Gitea's Repository and Commit
# are other shapes).
TRACKED_REPOSITORY_SHAPE = Shape("TrackedRepository", [
    integer("id"),
    integer("user_id"),
    string("name"),
    string("owner"),
    string("provider"),
    string("url"),
    boolean("is_valid"),
    time("last_synced_at", lambda repository, _: rfc3339(repository.last_synced_at),
         nullable=True),
    time("created_at", lambda repository, _: rfc3339(repository.created_at)),
])

DELETED_SHAPE = Shape("TrackedRepositoryDeleted", [string("message", item("message"))])

# Gathered into a dict by the resource.
VALIDATION_SHAPE = Shape("TrackedRepositoryValidation", [
    integer("id", item("id")), string("url", item("url")), string("provider", item("provider")),
    boolean("is_valid", item("is_valid")), string("message", item("message")),
])

TRACKED_COMMIT_SHAPE = Shape("TrackedCommit", [
    string("sha"),
    string("message"),
    string("author"),
    time("date", lambda commit, _: rfc3339(commit.date), nullable=True),
])


class SyncRequest(Schema):
    sync_type = fields.String(load_default="incremental",
                              validate=validate.OneOf(["full", "incremental"]))
    repositories = fields.List(fields.String(validate=validate.Length(min=1, max=511)),
                               load_default=None, validate=validate.Length(max=500))


class WebhookTokenRequest(Schema):
    token = fields.Raw(required=True, metadata={
        "description": "the GitLab webhook's Secret token (8 to 255 printable characters)"})
