"""Wire shapes: what the routes read (marshmallow options) and write (response shapes, which
also document themselves in /api/openapi.json)."""

from marshmallow import Schema, fields

from plue_core.shapes import Shape, integer, string, time
from plue_core.timestamps import rfc3339

GREETING_SHAPE = Shape("Greeting", [
    integer("id"),
    string("message"),
    string("source"),
    string("author", nullable=True),
    time("created_at", lambda greeting, view: rfc3339(greeting.created_at)),
])


class CreateGreetingOption(Schema):
    message = fields.String(required=True)
