"""The ``[accounts]`` config section."""

from marshmallow import Schema, fields, validate


class AccountsSettings(Schema):
    bcrypt_rounds = fields.Integer(load_default=12, validate=validate.Range(min=4, max=16))
    open_registration = fields.Boolean(load_default=True)
    min_password_length = fields.Integer(load_default=8, validate=validate.Range(min=1))
    jwt_ttl_seconds = fields.Integer(load_default=86400, validate=validate.Range(min=60))
    # Failed logins allowed per IP and per account within the window before 429.
    login_max_failures = fields.Integer(load_default=10, validate=validate.Range(min=1))
    login_window_seconds = fields.Integer(load_default=300, validate=validate.Range(min=1))
