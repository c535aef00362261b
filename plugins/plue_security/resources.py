"""Thin Falcon resources of ``/api/security``: parse, call a service function, answer in
RunnerHub's envelope."""

from __future__ import annotations

from plue_core.errors import Forbidden
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.problems import problem
from plue_security import image_scans, posture, secret_scans
from plue_security.request_errors import (
    RequestInvalid,
    load_query,
    load_request,
    succeed,
)
from plue_security.schemas import (
    IMAGE_SCAN_ENVELOPE,
    IMAGE_SCAN_SHAPE,
    IMAGE_SCANS_ENVELOPE,
    SECRET_SCAN_ENVELOPE,
    SECRET_SCAN_SHAPE,
    SECURITY_STATUS_ENVELOPE,
    SECURITY_STATUS_SHAPE,
    ScanRequest,
    ScansQuery,
    SecretScanRequest,
)

class SecurityResource:
    def __init__(self, ctx):
        self.ctx = ctx


class ImageScanResource(SecurityResource):
    @operation("Scan a local container image for known vulnerabilities",
               request=ScanRequest, response=IMAGE_SCAN_ENVELOPE, status=201, tags=["security"])
    def on_post(self, req, resp):
        identity = require_identity(req)
        if not identity.operates_runnerhub:
            raise Forbidden("image scans need the admin or operator role")
        body = load_request(req, ScanRequest)
        scan = image_scans.scan_image(self.ctx, user_id=identity.user_id, **body)
        succeed(resp, IMAGE_SCAN_SHAPE(scan, image_scans.shown_findings(scan)), "201 Created")


class ImageScansResource(SecurityResource):
    @operation("List stored image scans, newest first", response=IMAGE_SCANS_ENVELOPE,
               query=("image", "limit"), tags=["security"])
    def on_get(self, req, resp):
        require_identity(req)
        query = load_query(req, ScansQuery)
        scans = image_scans.list_scans(query["image"], query["limit"])
        succeed(resp, [IMAGE_SCAN_SHAPE(scan, image_scans.shown_findings(scan)) for scan in scans])


class SecretScanResource(SecurityResource):
    @operation("Scan text or a job's log for exposed secrets", request=SecretScanRequest,
               response=SECRET_SCAN_ENVELOPE, tags=["security"])
    def on_post(self, req, resp):
        identity = require_identity(req)
        body = load_request(req, SecretScanRequest)
        job_id = None if body["job_id"] is None else secret_scans.parse_job_id(body["job_id"])
        if body["content"] is not None:
            text = body["content"]  # the seed's body: this log content, of job job_id if given
        elif job_id is not None:
            require_identity(req, scope=("read", "repository"))
            text = secret_scans.job_log(self.ctx, identity, job_id)
        else:
            raise RequestInvalid("send content (the text to scan) or job_id (scan that job's "
                                 "log)", details=[problem("content", None, "the text to scan, "
                                                          "or job_id naming a job whose log to "
                                                          "scan")])
        scan = secret_scans.scan(self.ctx, text=text, rules=body["scan_rules"], job_id=job_id,
                                 user_id=identity.user_id)
        succeed(resp, SECRET_SCAN_SHAPE(scan))


class SecurityStatusResource(SecurityResource):
    @operation("Security status: vulnerabilities, detected secrets, enforced policies",
               response=SECURITY_STATUS_ENVELOPE, tags=["security"])
    def on_get(self, req, resp):
        require_identity(req)
        succeed(resp, SECURITY_STATUS_SHAPE(posture.Posture(self.ctx)))
