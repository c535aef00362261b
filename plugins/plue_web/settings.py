"""The ``[web]`` config section (environment: ``PLUE_WEB__<KEY>``)."""

from marshmallow import Schema, fields, validate


class WebSettings(Schema):
    """Sessions of the web pages."""

    session_ttl_seconds = fields.Integer(
        load_default=14 * 86400, validate=validate.Range(min=60),
        metadata={"description": "How long a web sign-in lasts; after it the session is refused "
                                 "and the browser signs in again."})
    page_size = fields.Integer(
        load_default=30, validate=validate.Range(min=1, max=200),
        metadata={"description": "Rows per page of the web's lists (repositories, commits, "
                                 "issues)."})
    max_highlight_bytes = fields.Integer(
        load_default=512 * 1024, validate=validate.Range(min=1),
        metadata={"description": "Largest file shown with highlighting and line numbers; a "
                                 "larger one offers its raw link instead."})
