"""The ``[hello]`` config section (``PLUE_HELLO__<KEY>`` in the environment)."""

from marshmallow import Schema, fields, validate


class HelloSettings(Schema):
    # What the scheduled job says.
    greeting = fields.String(load_default="Hello", validate=validate.Length(min=1, max=50))
    job_interval_seconds = fields.Integer(load_default=3600, validate=validate.Range(min=1))
    max_message_length = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))
