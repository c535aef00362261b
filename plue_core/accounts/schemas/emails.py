"""Gitea's Email, CreateEmailOption and DeleteEmailOption."""

from __future__ import annotations

from marshmallow import Schema, fields

from plue_core.shapes import Shape, boolean, integer, string

# Plue sends no mail: every address is verified, as Gitea's without REGISTER_EMAIL_CONFIRM.
EMAIL_SHAPE = Shape("Email", [
    string("email"),
    boolean("verified", const=True),
    boolean("primary"),
    integer("user_id"),
    string("username"),
], description="Gitea's Email")


class CreateEmailOption(Schema):
    emails = fields.List(fields.String(), load_default=list)


class DeleteEmailOption(Schema):
    emails = fields.List(fields.String(), load_default=list)
