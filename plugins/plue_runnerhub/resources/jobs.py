"""/api/jobs, /api/jobs/delegate, /api/jobs/{job_id}, its logs and its status."""

from __future__ import annotations

import falcon

from plue_core.identity import current_identity, require_identity
from plue_core.openapi import operation
from plue_core.pagination import OffsetPage
from plugins.plue_runnerhub import delegation, job_logs, job_updates, jobs
from plugins.plue_runnerhub.envelope import load, reject, success
from plugins.plue_runnerhub.schemas import DelegateJob, JobStatusUpdate

TAGS = ["runnerhub"]


MAX_OFFSET = 2**53  # beyond any table, and within every database's integer range


def _page(req) -> OffsetPage:
    page = OffsetPage.from_request(req)  # a 400 VALIDATION_ERROR naming the parameter
    if page.offset > MAX_OFFSET:
        raise reject("offset", page.offset, f"an integer from 0 to {MAX_OFFSET}")
    return page


def _int(req, name: str, minimum: int = 0) -> int | None:
    raw = req.get_param(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or int(raw) < minimum:
        raise reject(name, raw, f"an integer of at least {minimum}")
    return int(raw)


def _flag(req, name: str) -> bool:
    raw = (req.get_param(name) or "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise reject(name, raw, "true or false")
    return raw in ("true", "1")


class HubResource:
    def __init__(self, service):
        self.service = service  # ctx.services["actions"]

    def caller(self, req):
        return require_identity(req, scope=("read", "repository"))


class JobsResource(HubResource):
    @operation("List the jobs you can see", tags=TAGS)
    def on_get(self, req, resp):
        identity = self.caller(req)
        page = _page(req)
        query = jobs.filtered(self.service, identity, status=req.get_param("status"),
                              repository=req.get_param("repository"),
                              runner_id=req.get_param("runner_id"))
        query = jobs.ordered(query, req.get_param("sort"), req.get_param("order"))
        total = query.count()
        rows = list(page.apply(query))
        renderer = jobs.JobRenderer(self.service, rows)
        success(resp, {"jobs": [renderer.summary(job) for job in rows],
                       "pagination": page.describe(total)})


class DelegateResource(HubResource):
    @operation("Start one job of a repository's workflow as an actions run", tags=TAGS)
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "repository"))
        body = load(req, DelegateJob)
        if body.get("job_id") is None and not body.get("job_name"):
            raise reject("job_name", None, "job_id or job_name naming a job of the workflow")
        if body.get("job_id") is not None and not isinstance(body["job_id"], (str, int)):
            raise reject("job_id", body["job_id"], "a string or an integer")
        user = self.service.accounts.account_for(identity)
        record, job = delegation.delegate(self.service, identity, user, body)
        success(resp, delegation.delegation_json(record, job), status=falcon.HTTP_201,
                message="Job delegated successfully")


class JobResource(HubResource):
    @operation("Get a job with its progress", tags=TAGS)
    def on_get(self, req, resp, job_id):
        job = jobs.find_job(self.service, self.caller(req), job_id)
        success(resp, jobs.JobRenderer(self.service, [job]).detail(job))


class JobLogsResource(HubResource):
    @operation("Get a job's log lines", tags=TAGS)
    def on_get(self, req, resp, job_id):
        job = jobs.find_job(self.service, self.caller(req), job_id)
        output = req.get_param("format") or "json"
        if output not in ("json", "text"):
            raise reject("format", output, "json or text")
        _flag(req, "follow")  # validated; the answer is what is stored now (see job_logs)
        log = job_logs.job_log(self.service, job, lines=_int(req, "lines"),
                               since=req.get_param("since"))
        if output == "text":
            resp.content_type = falcon.MEDIA_TEXT
            resp.text = job_logs.as_text(log)
            return
        success(resp, log)


class JobStatusResource(HubResource):
    @operation("Report a job's status (its runner or an administrator)", tags=TAGS)
    def on_put(self, req, resp, job_id):
        runner = None
        if req.get_header("x-runner-uuid") or req.get_header("x-runner-token"):
            # A report is a sign of life: the runner shows online and active.
            runner = self.service.authenticate_runner(req.get_header("x-runner-uuid"),
                                                      req.get_header("x-runner-token"))
            identity = current_identity(req)
            actor = f"runner {runner.name}"
            job = jobs.find_job_for_runner(job_id)
        else:
            identity = require_identity(req, scope=("write", "repository"))
            actor = identity.username
            job = jobs.find_job(self.service, identity, job_id)
        body = load(req, JobStatusUpdate)
        job_updates.check_caller(job, runner, bool(identity and identity.is_admin))
        job = job_updates.apply(self.service, job, body, runner=runner, actor=actor)
        success(resp, jobs.JobRenderer(self.service, [job]).detail(job))
