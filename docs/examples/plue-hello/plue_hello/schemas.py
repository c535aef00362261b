"""Wire shapes: what the routes read and write (and what /api/openapi.json documents)."""

from marshmallow import Schema, fields


class GreetingSchema(Schema):
    id = fields.Integer()
    message = fields.String()
    source = fields.String()
    author = fields.String(allow_none=True)
    created_at = fields.DateTime(format="%Y-%m-%dT%H:%M:%SZ")


class CreateGreetingOption(Schema):
    message = fields.String(required=True)
