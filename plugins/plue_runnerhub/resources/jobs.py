"""/api/jobs, /api/jobs/delegate, /api/jobs/{job_id}, its logs and its status, for hosted
(actions) and external jobs alike."""

from __future__ import annotations

import falcon

from plue_core.errors import Forbidden
from plue_core.identity import current_identity, require_identity
from plue_core.openapi import operation
from plue_core.pagination import OffsetPage
from plue_core.integers import INT64_MAX, parse_id
from plue_runnerhub import (
    delegation,
    external_assignment,
    external_jobs,
    external_reports,
    job_listing,
    job_logs,
    job_updates,
    jobs,
)
from plue_runnerhub.envelope import load, reject, success
from plue_runnerhub.schemas import (
    DELEGATION_ENVELOPE,
    DELEGATION_SHAPE,
    JOB_DETAIL_ENVELOPE,
    JOB_LOG_ENVELOPE,
    JOB_LOG_SHAPE,
    JOB_PAGE_ENVELOPE,
    JOB_PAGE_SHAPE,
    LOGS_RECEIVED_ENVELOPE,
    LOGS_RECEIVED_SHAPE,
    AppendLogs,
    DelegateJob,
    JobStatusUpdate,
    job_detail,
)

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
    number = parse_id(raw)
    if number is None or number < minimum:
        raise reject(name, raw, f"an integer from {minimum} to {INT64_MAX}")
    return number


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

    def hub_runner(self, req):
        """The runner calling with runner.v1 headers (``x-runner-uuid``, ``x-runner-token``),
        else None. Its call is a sign of life, so it is online now and gets pending work."""
        if not (req.get_header("x-runner-uuid") or req.get_header("x-runner-token")):
            return None
        runner = self.service.authenticate_runner(req.get_header("x-runner-uuid"),
                                                  req.get_header("x-runner-token"))
        external_assignment.after_runner_call(self.service, runner)
        return runner


class JobsResource(HubResource):
    @operation("List the jobs you can see (a hub runner: the external jobs it holds)",
               response=JOB_PAGE_ENVELOPE,
               query=("status", "repository", "runner_id", "sort", "order", "limit", "offset"),
               tags=TAGS)
    def on_get(self, req, resp):
        runner = self.hub_runner(req)
        identity = None if runner is not None else self.caller(req)
        page = _page(req)
        success(resp, JOB_PAGE_SHAPE(job_listing.list_jobs(
            self.service, page, identity=identity, runner=runner,
            status=req.get_param("status"), repository=req.get_param("repository"),
            runner_id=req.get_param("runner_id"), sort=req.get_param("sort"),
            order=req.get_param("order"))))


class DelegateResource(HubResource):
    @operation("Delegate a job: a hosted repository's job as an actions run, any other "
               "repository's to a hub runner", request=DelegateJob, response=DELEGATION_ENVELOPE,
               status=201,
               tags=TAGS)
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "repository"))
        body = load(req, DelegateJob)
        if body.get("job_id") is None and not body.get("job_name"):
            raise reject("job_name", None, "job_id or job_name naming a job of the workflow")
        if body.get("job_id") is not None and (isinstance(body["job_id"], bool)
                                               or not isinstance(body["job_id"], (str, int))):
            raise reject("job_id", body["job_id"], "a string or an integer")
        user = self.service.accounts.account_for(identity)
        success(resp, DELEGATION_SHAPE(*delegation.delegate(self.service, identity, user, body)),
                status=falcon.HTTP_201, message="Job delegated successfully")


class JobResource(HubResource):
    @operation("Get a job with its progress", response=JOB_DETAIL_ENVELOPE, tags=TAGS)
    def on_get(self, req, resp, job_id):
        job = self.find(req, job_id)
        success(resp, job_detail(job, self.renderer(job)))

    def renderer(self, job):
        """The renderer of the job's kind (hosted or external)."""
        if external_jobs.is_external(job):
            return external_jobs.ExternalJobRenderer([job])
        return jobs.JobRenderer(self.service, [job])

    def find(self, req, job_id):
        """The hosted or external job the caller (a user or a hub runner) may see."""
        runner = self.hub_runner(req)
        if runner is not None:
            return external_jobs.find(external_jobs.held_by(runner.id), job_id)
        identity = self.caller(req)
        if external_jobs.number_of(job_id) is not None:
            return external_jobs.find(external_jobs.visible(identity), job_id)
        return jobs.find_job(self.service, identity, job_id)


class JobLogsResource(JobResource):
    @operation("Get a job's log lines", response=JOB_LOG_ENVELOPE,
               query=("format", "follow", "lines", "since"), tags=TAGS)
    def on_get(self, req, resp, job_id):
        job = self.find(req, job_id)
        output = req.get_param("format") or "json"
        if output not in ("json", "text"):
            raise reject("format", output, "json or text")
        _flag(req, "follow")  # validated; the answer is what is stored now (see job_logs)
        lines, since = _int(req, "lines"), req.get_param("since")
        if external_jobs.is_external(job):
            log = external_reports.job_log(job, lines=lines, since=since)
        else:
            log = job_logs.job_log(self.service, job, lines=lines, since=since)
        if output == "text":
            resp.content_type = falcon.MEDIA_TEXT
            resp.text = job_logs.as_text(log)
            return
        success(resp, JOB_LOG_SHAPE(log))

    @operation("Send log lines of an external job (the hub runner holding it)",
               request=AppendLogs, response=LOGS_RECEIVED_ENVELOPE, status=201, tags=TAGS)
    def on_post(self, req, resp, job_id):
        runner = self.hub_runner(req)
        if runner is None:
            require_identity(req)
            raise Forbidden("only the hub runner holding a job sends its log lines "
                            "(x-runner-uuid and x-runner-token headers)")
        job = external_jobs.find(external_jobs.held_by(runner.id), job_id)
        body = load(req, AppendLogs)
        total = external_reports.append_logs(self.service, job, body["logs"])
        success(resp, LOGS_RECEIVED_SHAPE(external_reports.LogsReceived(
            job_id, len(body["logs"]), total)),
                status=falcon.HTTP_201)


class JobStatusResource(HubResource):
    @operation("Report a job's status (its runner or an administrator)",
               request=JobStatusUpdate, response=JOB_DETAIL_ENVELOPE, tags=TAGS)
    def on_put(self, req, resp, job_id):
        runner = self.hub_runner(req)
        if runner is not None:
            identity = current_identity(req)
            actor = f"runner {runner.name}"
        else:
            identity = require_identity(req, scope=("write", "repository"))
            actor = identity.username
        is_admin = bool(identity and identity.is_admin)
        if external_jobs.number_of(job_id) is not None:
            seen = external_jobs.held_by(runner.id) if runner is not None \
                else external_jobs.visible(identity)
            job = external_jobs.find(seen, job_id)
            body = load(req, JobStatusUpdate)
            external_reports.check_caller(job, runner, is_admin)
            job = external_reports.apply(self.service, job, body)
            success(resp, job_detail(job, external_jobs.ExternalJobRenderer([job])))
            return
        job = jobs.find_job_for_runner(self.service, job_id) if runner is not None \
            else jobs.find_job(self.service, identity, job_id)
        body = load(req, JobStatusUpdate)
        if body.get("container_id"):
            raise reject("container_id", body["container_id"], "no container_id: it is "
                         "recorded for external jobs only (actions runners do not report "
                         "containers)")
        job_updates.check_caller(self.service, job, runner, is_admin)
        job = job_updates.apply(self.service, job, body, runner=runner, actor=actor)
        success(resp, job_detail(job, jobs.JobRenderer(self.service, [job])))
