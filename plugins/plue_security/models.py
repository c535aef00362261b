"""Stored image scans and secret scans. Secret findings keep the rule, the line and a
redacted preview, never the secret itself."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow


class ImageScan(BaseModel):
    """One vulnerability scan of a local image; ``details`` holds every finding (JSON), the
    API filters them by the request's severity threshold."""

    scan_id = peewee.CharField(max_length=40, unique=True)
    image = peewee.CharField(max_length=255, index=True)
    image_id = peewee.CharField(max_length=80, default="")
    user_id = peewee.IntegerField(null=True)
    scan_type = peewee.CharField(max_length=32)
    severity_threshold = peewee.CharField(max_length=16)
    status = peewee.CharField(max_length=16, default="completed")
    packages_scanned = peewee.IntegerField(default=0)
    critical = peewee.IntegerField(default=0)
    high = peewee.IntegerField(default=0)
    medium = peewee.IntegerField(default=0)
    low = peewee.IntegerField(default=0)
    unknown = peewee.IntegerField(default=0)
    details = peewee.TextField(default="[]")
    scan_date = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "security_image_scan"


class SecretScan(BaseModel):
    """One secret scan of given content or of a job's log; ``findings`` is JSON of
    ``{rule, line, preview}`` with the secret redacted."""

    scan_id = peewee.CharField(max_length=40, unique=True)
    job_id = peewee.IntegerField(null=True)
    user_id = peewee.IntegerField(null=True)
    rules = peewee.TextField(default="[]")
    findings = peewee.TextField(default="[]")
    findings_count = peewee.IntegerField(default=0)
    lines_scanned = peewee.IntegerField(default=0)
    scan_date = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "security_secret_scan"


MODELS = [ImageScan, SecretScan]
