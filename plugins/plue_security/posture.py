"""``GET /api/security/status``: the instance's security status from stored scans and from
the protections Plue itself enforces (each policy is checked against the running config,
not claimed). Field meanings are documented in docs/security.md."""

from __future__ import annotations

import peewee

from plue_security import advisories
from plue_security.models import ImageScan, SecretScan



def policies(ctx) -> list[dict]:
    """Each protection Plue can enforce, and whether this instance enforces it now."""
    accounts = ctx.section("accounts")
    monitoring = ctx.section("monitoring")
    actions_on = "actions" in ctx.services
    return [
        {"name": "passwords_hashed_with_bcrypt", "enforced": True,
         "detail": f"bcrypt cost {accounts.get('bcrypt_rounds')}"},
        {"name": "bcrypt_cost_at_least_10", "enforced": accounts.get("bcrypt_rounds", 0) >= 10,
         "detail": "[accounts] bcrypt_rounds >= 10"},
        {"name": "access_tokens_stored_hashed", "enforced": True,
         "detail": "SHA-256 of the token; the token is shown once"},
        {"name": "jwt_algorithm_pinned", "enforced": True,
         "detail": f"{ctx.services['accounts'].jwt_algorithm} only; other algorithms are refused"},
        {"name": "login_throttling", "enforced": True,
         "detail": f"{accounts.get('login_max_failures')} failures per account and address, "
                   f"{accounts.get('login_max_failures_per_address')} per address, then locks "
                   f"from {accounts.get('login_lock_seconds')} s doubling"},
        {"name": "minimum_password_length_8", "enforced": accounts.get("min_password_length", 0) >= 8,
         "detail": "[accounts] min_password_length >= 8"},
        {"name": "minimum_rsa_key_3072_bits", "enforced": accounts.get("minimum_rsa_key_bits", 0) >= 3071,
         "detail": "[accounts] minimum_rsa_key_bits >= 3071"},
        {"name": "actions_secrets_encrypted", "enforced": actions_on,
         "detail": "secrets encrypted at rest with the instance key (actions plugin)"},
        {"name": "actions_secrets_masked_in_logs", "enforced": actions_on,
         "detail": "secret values are replaced by *** before log lines are stored"},
        {"name": "api_rate_limiting", "enforced": bool(monitoring.get("rate_limit_enabled")),
         "detail": "RunnerHub API rate limits (monitoring plugin)"},
    ]


def latest_vulnerabilities() -> tuple[dict, int]:
    """Sum of the findings of the newest scan of each image, and how many images that is."""
    newest = (ImageScan.select(peewee.fn.MAX(ImageScan.id)).group_by(ImageScan.image))
    totals = {key: 0 for key in advisories.SEVERITY_KEYS}
    images = 0
    for scan in ImageScan.select().where(ImageScan.id.in_(newest)):
        images += 1
        for key in advisories.SEVERITY_KEYS:
            totals[key] += getattr(scan, key)
    return totals, images


def security_level(vulnerabilities: dict, threats: int, enforced: int, total: int) -> str:
    """low: a critical finding or a detected secret; medium: a high finding or a policy not
    enforced; high otherwise."""
    if vulnerabilities["critical"] or threats:
        return "low"
    if vulnerabilities["high"] or enforced < total:
        return "medium"
    return "high"


def status(ctx) -> dict:
    vulnerabilities, images = latest_vulnerabilities()
    threats = SecretScan.select(peewee.fn.COALESCE(peewee.fn.SUM(SecretScan.findings_count), 0)).scalar()
    last_image = _newest(ImageScan)
    last_secret = _newest(SecretScan)
    last_scan = max((d for d in (last_image, last_secret) if d is not None), default=None)
    listed = policies(ctx)
    enforced = sum(1 for policy in listed if policy["enforced"])
    return {
        "security_level": security_level(vulnerabilities, threats, enforced, len(listed)),
        "compliance_status": None,
        "threat_detection": {
            "status": "on_demand", "threats_detected": int(threats), "last_scan": last_scan,
            "last_image_scan": last_image, "last_secret_scan": last_secret,
        },
        "vulnerabilities": vulnerabilities,
        "images_scanned": images,
        "security_policies": {"enforced": enforced, "total": len(listed), "policies": listed},
    }


def _newest(model):
    row = model.select(model.scan_date).order_by(model.scan_date.desc()).first()
    return row.scan_date if row else None
