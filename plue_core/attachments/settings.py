"""The ``[attachment]`` config section, Gitea's (documented in docs/attachments.md): where the
files live and what issues and comments may attach (releases keep their own limit in
``[releases]``, as Gitea's ``[repository.release]``)."""

from marshmallow import Schema, fields, validate

from plue_core.config import CommaList

# Gitea's default ALLOWED_TYPES of [attachment].
GITEA_ALLOWED_TYPES = (
    ".cpuprofile,.csv,.dmp,.docx,.fodg,.fodp,.fods,.fodt,.gif,.gz,.jpeg,.jpg,.json,.jsonc,.log,"
    ".md,.mov,.mp4,.odf,.odg,.odp,.ods,.odt,.patch,.pdf,.png,.pptx,.svg,.tgz,.txt,.webm,.xls,"
    ".xlsx,.zip")


class AttachmentSettings(Schema):
    # Off: the issue and comment attachment endpoints are 404, as Gitea's ENABLED = false.
    enabled = fields.Boolean(load_default=True)
    # Where every attachment's file is kept; "" is ``<data_dir>/attachments``.
    path = fields.String(load_default="")
    # MiB one issue or comment attachment may hold (Gitea's MAX_SIZE); larger is 413.
    max_size = fields.Integer(load_default=2048, validate=validate.Range(min=1))
    # File extensions (".zip") and MIME types ("image/*") issues and comments may attach;
    # empty or "*/*" allows any.
    allowed_types = CommaList(fields.String(), load_default=lambda: GITEA_ALLOWED_TYPES.split(","))
