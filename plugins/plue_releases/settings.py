"""The ``[releases]`` config section (documented in docs/releases.md)."""

from marshmallow import Schema, fields, validate


class ReleasesSettings(Schema):
    # Where attachment files are kept; "" is ``<data_dir>/attachments``.
    attachments_dir = fields.String(load_default="")
    # Bytes one attachment may hold (Gitea's [attachment] MAX_SIZE, 2048 MiB); larger is 413.
    max_attachment_size = fields.Integer(load_default=2048 * 1024 * 1024,
                                         validate=validate.Range(min=1))
