"""The ``[releases]`` config section (documented in docs/releases.md)."""

from marshmallow import Schema, ValidationError, fields, validate


def _moved(_value):
    raise ValidationError("moved: release files are the attachment store's now, set "
                          "[attachment] path instead (docs/attachments.md)")


class ReleasesSettings(Schema):
    # Bytes one release file may hold (Gitea's [repository.release] FILE_MAX_SIZE, 2048 MiB);
    # larger is 413. Where the files live is the attachment store's ([attachment] path).
    max_attachment_size = fields.Integer(load_default=2048 * 1024 * 1024,
                                         validate=validate.Range(min=1))
    # The old key names its new home at startup instead of "unknown key".
    attachments_dir = fields.Raw(load_only=True, validate=_moved)
