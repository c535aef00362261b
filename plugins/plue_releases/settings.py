"""The ``[releases]`` config section (documented in docs/releases.md)."""

from marshmallow import Schema, fields, validate


class ReleasesSettings(Schema):
    # Bytes one release file may hold (Gitea's [repository.release] FILE_MAX_SIZE, 2048 MiB);
    # larger is 413. Where the files live is the attachment store's ([attachment] path).
    max_attachment_size = fields.Integer(load_default=2048 * 1024 * 1024,
                                         validate=validate.Range(min=1))
