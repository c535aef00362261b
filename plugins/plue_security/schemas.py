"""Wire shapes of the security API's requests (marshmallow)."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from plue_security.image_scans import SCAN_TYPES
from plue_security.secret_rules import ALL_RULES, unknown_rules

SEVERITY_CHOICES = ("low", "medium", "high", "critical")


class ScanRequest(Schema):
    image = fields.String(required=True, validate=validate.Length(min=1, max=255))
    scan_type = fields.String(load_default="comprehensive", validate=validate.OneOf(SCAN_TYPES))
    severity_threshold = fields.String(load_default="low", validate=validate.OneOf(SEVERITY_CHOICES))


class ScansQuery(Schema):
    image = fields.String(load_default=None, validate=validate.Length(max=255))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SecretScanRequest(Schema):
    job_id = fields.Raw(load_default=None, allow_none=True)
    content = fields.String(load_default=None, allow_none=True)
    scan_rules = fields.List(fields.String(), load_default=lambda: list(ALL_RULES))

    @validates("scan_rules")
    def _known(self, value, **_):
        if not value:
            raise ValidationError(f"name at least one rule: {', '.join(ALL_RULES)}")
        unknown = unknown_rules(value)
        if unknown:
            raise ValidationError(f"unknown rule(s) {', '.join(unknown)}; known rules: "
                                  f"{', '.join(ALL_RULES)}")
