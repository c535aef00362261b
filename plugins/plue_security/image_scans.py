"""Image scans: read what a local image has installed, match it against the advisory
database, store every finding, answer the ones at or above the requested threshold."""

from __future__ import annotations

import collections
import json
import pathlib
import uuid

from plue_core.db import utcnow, write_transaction
from plue_security import advisories, image_contents
from plue_security.models import ImageScan

SCAN_TYPES = ("comprehensive",)


def advisories_path(ctx) -> pathlib.Path:
    configured = ctx.section("security")["advisories_path"]
    return pathlib.Path(configured) if configured else ctx.config.data_path / "advisories"


def scan_image(ctx, *, image: str, scan_type: str, severity_threshold: str,
               user_id: int | None) -> ImageScan:
    """Scan ``image`` now and store the result (the engine and the advisories are read
    before anything is written, so a failed scan leaves nothing behind)."""
    settings = ctx.section("security")
    known = advisories.load_advisories(advisories_path(ctx))
    client = image_contents.engine(settings)
    try:
        contents = image_contents.read_image(client, image)
    finally:
        client.close()
    findings = advisories.match(known, contents.packages)
    counts = {severity: 0 for severity in (*advisories.SEVERITIES, "unknown")}
    for finding in findings:
        counts[finding.severity] += 1
    with write_transaction(ctx.db):
        return ImageScan.create(
            scan_id=f"scan_{uuid.uuid4().hex[:16]}", image=image, image_id=contents.image_id,
            user_id=user_id, scan_type=scan_type, severity_threshold=severity_threshold,
            status="completed", packages_scanned=len(contents.packages),
            details=json.dumps([f.as_dict() for f in findings]), scan_date=utcnow(), **counts)


def list_scans(image: str | None, limit: int) -> list[ImageScan]:
    """Newest first; ``image`` matches a substring of the image name (``ubuntu`` finds
    ``ubuntu:20.04``), as the seed's ``?image=ubuntu`` example suggests."""
    query = ImageScan.select().order_by(ImageScan.scan_date.desc(), ImageScan.id.desc())
    if image:
        query = query.where(ImageScan.image.contains(image))
    return list(query.limit(limit))


def shown_findings(scan: ImageScan) -> list[advisories.Finding]:
    """The scan's findings at or above its threshold (what its answer lists)."""
    floor = advisories.threshold_rank(scan.severity_threshold)
    return [finding for finding in map(_finding, json.loads(scan.details))
            if advisories.threshold_rank(finding.severity) >= floor]


def _finding(stored: dict) -> advisories.Finding:
    return advisories.Finding(**stored)


class SeverityCounts:
    """How many findings there are of each severity (an attribute per
    ``advisories.SEVERITY_KEYS``) and in all (``total``)."""

    def __init__(self, counted: collections.Counter):
        self.total = sum(counted[key] for key in advisories.SEVERITY_KEYS)
        for key in advisories.SEVERITY_KEYS:
            setattr(self, key, counted[key])


def counts(findings: list[advisories.Finding]) -> SeverityCounts:
    return SeverityCounts(collections.Counter(finding.severity for finding in findings))


def recommendation(details: list[advisories.Finding], packages_scanned: int) -> str:
    """One sentence derived from the findings, never a canned promise."""
    if packages_scanned == 0:
        return ("No package database or known binary was found in the image, so nothing "
                "could be checked; scan an image with dpkg, apk or busybox")
    if not details:
        return "No known vulnerabilities at or above the threshold; keep the advisories current"
    fixable = sorted({f"{d.package} to {d.fixed_version}" for d in details if d.fixed_version})
    unfixed = sorted({d.package for d in details if not d.fixed_version})
    parts = []
    if fixable:
        parts.append("Update " + ", ".join(fixable) + " or later")
    if unfixed:
        parts.append("no fix is published yet for " + ", ".join(unfixed) +
                     "; consider removing or replacing it")
    return "; ".join(parts)
