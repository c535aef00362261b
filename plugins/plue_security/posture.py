"""``GET /api/security/status``: the instance's security status from stored scans and from
the protections Plue itself enforces (each policy is checked against the running config,
not claimed). Field meanings are documented in docs/security.md."""

from __future__ import annotations

import collections
from typing import NamedTuple

import peewee

from plue_security import advisories
from plue_security.image_scans import SeverityCounts
from plue_security.models import ImageScan, SecretScan


class Policy(NamedTuple):
    """A protection Plue can enforce (``SecurityPolicy``)."""

    name: str
    enforced: bool
    detail: str


def policies(ctx) -> list[Policy]:
    """Each protection Plue can enforce, and whether this instance enforces it now."""
    accounts = ctx.section("accounts")
    monitoring = ctx.section("monitoring")
    actions_on = "actions" in ctx.services
    return [
        Policy("passwords_hashed_with_bcrypt", True,
               f"bcrypt cost {accounts.get('bcrypt_rounds')}"),
        Policy("bcrypt_cost_at_least_10", accounts.get("bcrypt_rounds", 0) >= 10,
               "[accounts] bcrypt_rounds >= 10"),
        Policy("access_tokens_stored_hashed", True,
               "SHA-256 of the token; the token is shown once"),
        Policy("jwt_algorithm_pinned", True,
               f"{ctx.services['accounts'].jwt_algorithm} only; other algorithms are refused"),
        Policy("login_throttling", True,
               f"{accounts.get('login_max_failures')} failures per account and address, "
               f"{accounts.get('login_max_failures_per_address')} per address, then locks "
               f"from {accounts.get('login_lock_seconds')} s doubling"),
        Policy("minimum_password_length_8", accounts.get("min_password_length", 0) >= 8,
               "[accounts] min_password_length >= 8"),
        Policy("minimum_rsa_key_3072_bits", accounts.get("minimum_rsa_key_bits", 0) >= 3071,
               "[accounts] minimum_rsa_key_bits >= 3071"),
        Policy("actions_secrets_encrypted", actions_on,
               "secrets encrypted at rest with the instance key (actions plugin)"),
        Policy("actions_secrets_masked_in_logs", actions_on,
               "secret values are replaced by *** before log lines are stored"),
        Policy("api_rate_limiting", bool(monitoring.get("rate_limit_enabled")),
               "RunnerHub API rate limits (monitoring plugin)"),
    ]


def latest_vulnerabilities() -> tuple[SeverityCounts, int]:
    """Sum of the findings of the newest scan of each image, and how many images that is."""
    newest = (ImageScan.select(peewee.fn.MAX(ImageScan.id)).group_by(ImageScan.image))
    totals: collections.Counter = collections.Counter()
    images = 0
    for scan in ImageScan.select().where(ImageScan.id.in_(newest)):
        images += 1
        for key in advisories.SEVERITY_KEYS:
            totals[key] += getattr(scan, key)
    return SeverityCounts(totals), images


class Posture:
    """The instance's security status (``SecurityStatus``) from its stored scans and its
    running config."""

    compliance_status = None  # not assessed
    status = "on_demand"  # scans run when asked, not continuously

    def __init__(self, ctx):
        self.vulnerabilities, self.images_scanned = latest_vulnerabilities()
        self.threats_detected = int(SecretScan.select(peewee.fn.COALESCE(
            peewee.fn.SUM(SecretScan.findings_count), 0)).scalar())
        self.last_image_scan = _newest(ImageScan)
        self.last_secret_scan = _newest(SecretScan)
        self.last_scan = max((d for d in (self.last_image_scan, self.last_secret_scan)
                              if d is not None), default=None)
        self.policies = policies(ctx)
        self.enforced = sum(1 for policy in self.policies if policy.enforced)

    @property
    def security_level(self) -> str:
        """low: a critical finding or a detected secret; medium: a high finding or a policy
        not enforced; high otherwise."""
        if self.vulnerabilities.critical or self.threats_detected:
            return "low"
        if self.vulnerabilities.high or self.enforced < len(self.policies):
            return "medium"
        return "high"


def _newest(model):
    row = model.select(model.scan_date).order_by(model.scan_date.desc()).first()
    return row.scan_date if row else None
