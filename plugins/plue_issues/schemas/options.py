"""Gitea's request bodies for issues, comments, labels and milestones (field names as in
Gitea's OpenAPI). Unknown fields are ignored, as Gitea does."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.validation import UtcDateTime, int64, title_length

# Gitea's ids are int64 (``int64``): a larger number is a 422, as Go's JSON decoding makes it.


class CreateIssueOption(Schema):
    title = fields.String(required=True, validate=title_length)
    body = fields.String(load_default="", allow_none=True)
    ref = fields.String(load_default="", allow_none=True)
    assignee = fields.String(load_default=None, allow_none=True)  # deprecated, still honoured
    assignees = fields.List(fields.String(), load_default=list, allow_none=True)
    labels = fields.List(fields.Integer(strict=True, validate=int64), load_default=list, allow_none=True)
    milestone = fields.Integer(strict=True, validate=int64, load_default=None, allow_none=True)
    closed = fields.Boolean(load_default=False)
    due_date = UtcDateTime(load_default=None, allow_none=True)
    projects = fields.List(fields.Integer(strict=True, validate=int64), load_default=list, allow_none=True)


class EditIssueOption(Schema):
    title = fields.String(allow_none=True, validate=title_length)
    body = fields.String(allow_none=True)
    ref = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    assignees = fields.List(fields.String(), allow_none=True)
    milestone = fields.Integer(strict=True, validate=int64, allow_none=True)
    state = fields.String(allow_none=True)
    due_date = UtcDateTime(allow_none=True)
    unset_due_date = fields.Boolean(allow_none=True)
    content_version = fields.Integer(strict=True, validate=int64, allow_none=True)
    projects = fields.List(fields.Integer(strict=True, validate=int64), allow_none=True)


class CreateIssueCommentOption(Schema):
    body = fields.String(required=True)


class EditIssueCommentOption(Schema):
    body = fields.String(required=True)


class CreateLabelOption(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    color = fields.String(required=True)
    description = fields.String(load_default="", allow_none=True)
    exclusive = fields.Boolean(load_default=False)
    is_archived = fields.Boolean(load_default=False)


class EditLabelOption(Schema):
    name = fields.String(allow_none=True, validate=validate.Length(min=1, max=255))
    color = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    exclusive = fields.Boolean(allow_none=True)
    is_archived = fields.Boolean(allow_none=True)


class IssueLabelsOption(Schema):
    """``labels``: label ids, or label names (not both)."""

    labels = fields.List(fields.Raw(), load_default=list)


class CreateMilestoneOption(Schema):
    title = fields.String(load_default="", allow_none=True)
    description = fields.String(load_default="", allow_none=True)
    due_on = UtcDateTime(load_default=None, allow_none=True)
    state = fields.String(load_default="open", allow_none=True,
                          validate=validate.OneOf(("open", "closed")))


class EditMilestoneOption(Schema):
    title = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    due_on = UtcDateTime(allow_none=True)
    state = fields.String(allow_none=True, validate=validate.OneOf(("open", "closed")))


class IssueAssigneesOption(Schema):
    assignees = fields.List(fields.String(), load_default=list)


class LockIssueOption(Schema):
    lock_reason = fields.String(load_default="", allow_none=True)


class EditDeadlineOption(Schema):
    # Gitea requires the field; null (or Go's zero time) removes the deadline.
    due_date = UtcDateTime(required=True, allow_none=True)


class EditReactionOption(Schema):
    content = fields.String(required=True)


class IssueMeta(Schema):
    """Gitea's ``IssueMeta``: the other issue of a dependency, by its repository (``owner``,
    ``repo``; both left out: the path's repository) and number."""

    index = fields.Integer(strict=True, required=True, validate=int64)
    owner = fields.String(load_default="", allow_none=True)
    repo = fields.String(load_default="", allow_none=True)


class AddTimeOption(Schema):
    """Seconds tracked (Gitea's ``binding:"Required"``: 0 is refused), when (default now), and
    for whom (a repository or site admin booking someone else's)."""

    time = fields.Integer(required=True, strict=True,
                          validate=[int64, validate.NoneOf([0], error="time is required")])
    created = UtcDateTime(load_default=None, allow_none=True)
    user_name = fields.String(load_default="", allow_none=True)
