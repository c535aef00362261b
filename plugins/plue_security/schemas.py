"""Wire shapes of the security API: its requests (marshmallow) and the data of its answers
(plue_core.shapes, inside RunnerHub's envelope; docs/security.md)."""

import json

from marshmallow import Schema, ValidationError, fields, validate, validates

from plue_core import image_references
from plue_core.families import hub_envelope
from plue_core.shapes import Shape, array, boolean, integer, nested, obj, string, time

from plue_security import image_scans
from plue_security.image_scans import SCAN_TYPES
from plue_security.advisories import SEVERITY_KEYS
from plue_security.secret_rules import ALL_RULES, SecretFinding, unknown_rules

SEVERITY_CHOICES = ("low", "medium", "high", "critical")


class ScanRequest(Schema):
    image = fields.String(required=True, validate=[validate.Length(min=1, max=255),
                                                   image_references.validate])
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


# --- response shapes (the data inside RunnerHub's envelope) ---------------------------------

VULNERABILITY_COUNTS_SHAPE = Shape("VulnerabilityCounts", [  # over image_scans.SeverityCounts
    integer("total"), *(integer(key) for key in SEVERITY_KEYS),
], description="findings at or above the scan's threshold, by severity")

VULNERABILITY_TOTALS_SHAPE = VULNERABILITY_COUNTS_SHAPE.only("VulnerabilityTotals", SEVERITY_KEYS)

VULNERABILITY_SHAPE = Shape("Vulnerability", [  # over advisories.Finding
    string("id"), string("severity"), string("package"), string("installed_version"),
    string("fixed_version", nullable=True), string("description"),
])

IMAGE_SCAN_SHAPE = Shape("ImageScan", [
    string("scan_id"), string("image"), string("image_id"), time("scan_date"), string("status"),
    string("scan_type"), string("severity_threshold"), integer("packages_scanned"),
    nested(obj, "vulnerabilities", lambda scan, shown: image_scans.counts(shown),
           shape=VULNERABILITY_COUNTS_SHAPE),
    nested(array, "details", lambda scan, shown: shown, items=VULNERABILITY_SHAPE),
    string("recommendation", lambda scan, shown: image_scans.recommendation(
        shown, scan.packages_scanned)),
], description="render with image_scans.shown_findings(scan) as the view")

SECRET_FINDING_SHAPE = Shape("SecretFinding", [  # over secret_rules.SecretFinding
    string("rule"), string("type"), integer("line"),
    string("preview", description="the line with the secret redacted"),
])

SECRET_SCAN_SHAPE = Shape("SecretScan", [
    string("scan_id"),
    string("job_id", lambda scan, view: f"job_{scan.job_id}" if scan.job_id else None,
           nullable=True),
    time("scan_date"), string("status", const="completed"),
    array("scan_rules", lambda scan, view: json.loads(scan.rules), items="string"),
    integer("lines_scanned"), integer("secrets_found", "findings_count"),
    nested(array, "findings", lambda scan, view: [
        SecretFinding(**stored) for stored in json.loads(scan.findings)],
        items=SECRET_FINDING_SHAPE),
])

# The status shapes read a posture.Posture.
THREAT_DETECTION_SHAPE = Shape("ThreatDetection", [
    string("status"), integer("threats_detected"), time("last_scan", nullable=True),
    time("last_image_scan", nullable=True), time("last_secret_scan", nullable=True),
])

SECURITY_POLICY_SHAPE = Shape("SecurityPolicy", [  # over posture.Policy
    string("name"), boolean("enforced"), string("detail"),
])

SECURITY_POLICIES_SHAPE = Shape("SecurityPolicies", [
    integer("enforced"), integer("total", lambda posture, view: len(posture.policies)),
    nested(array, "policies", items=SECURITY_POLICY_SHAPE),
])

SECURITY_STATUS_SHAPE = Shape("SecurityStatus", [
    string("security_level", description="low, medium or high"),
    string("compliance_status", nullable=True, description="always null"),
    nested(obj, "threat_detection", lambda posture, view: posture,
           shape=THREAT_DETECTION_SHAPE),
    nested(obj, "vulnerabilities", shape=VULNERABILITY_TOTALS_SHAPE),
    integer("images_scanned"),
    nested(obj, "security_policies", lambda posture, view: posture,
           shape=SECURITY_POLICIES_SHAPE),
])

IMAGE_SCAN_ENVELOPE = hub_envelope(IMAGE_SCAN_SHAPE)
IMAGE_SCANS_ENVELOPE = hub_envelope(IMAGE_SCAN_SHAPE, many=True)
SECRET_SCAN_ENVELOPE = hub_envelope(SECRET_SCAN_SHAPE)
SECURITY_STATUS_ENVELOPE = hub_envelope(SECURITY_STATUS_SHAPE)
