"""Wire shapes of the RunnerHub endpoints (the seed's field names): request bodies
(marshmallow) and the data of the answers (plue_core.shapes, inside RunnerHub's envelope)."""

from marshmallow import RAISE, Schema, fields, validate

from plue_core.families import hub_envelope
from plue_core.integers import INT64_MAX
from plue_core.shapes import Shape, array, boolean, integer, nested, obj, string, time
from plue_core.timestamps import rfc3339
from plue_core.validation import int32

from plue_runnerhub.envelope import prefixed
from plue_runnerhub.external_jobs import PREFIX as EXTERNAL_PREFIX

_name = validate.Length(min=1, max=255)


class DelegationMetadata(Schema):
    branch = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))
    commit_sha = fields.String(load_default=None, allow_none=True,
                               validate=validate.Regexp(r"^[0-9a-fA-F]{4,64}$",
                                                        error="must be a hexadecimal commit id"))
    pr_number = fields.Integer(load_default=None, allow_none=True,
                               validate=validate.Range(min=1, max=INT64_MAX))


class DelegateJob(Schema):
    repository = fields.String(required=True, validate=_name)
    job_id = fields.Raw(load_default=None, allow_none=True)  # a string or a number
    job_name = fields.String(load_default=None, allow_none=True, validate=_name)
    workflow_name = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    labels = fields.List(fields.String(validate=_name), load_default=None, allow_none=True)
    metadata = fields.Nested(DelegationMetadata, load_default=dict)


class Artifact(Schema):
    name = fields.String(required=True, validate=_name)
    path = fields.String(load_default="")
    size = fields.Integer(load_default=0, validate=validate.Range(min=0, max=INT64_MAX))


class JobStatusUpdate(Schema):
    status = fields.String(required=True, validate=validate.OneOf(
        ["running", "completed", "failed", "cancelled"]))
    result = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        ["success", "failure", "cancelled", "skipped"]))
    completed_at = fields.DateTime(load_default=None, allow_none=True)
    exit_code = fields.Integer(load_default=None, allow_none=True, validate=int32)
    # Stored for external jobs; a hosted job's artifacts are uploaded with the actions
    # artifact API, which keeps their content.
    artifacts = fields.List(fields.Nested(Artifact), load_default=list,
                            validate=validate.Length(max=1000))
    # Plue addition: the container a hub runner runs an external job in.
    container_id = fields.String(load_default=None, allow_none=True, validate=_name)


class LogLine(Schema):
    message = fields.String(required=True, validate=validate.Length(max=65536))
    timestamp = fields.DateTime(load_default=None, allow_none=True)
    level = fields.String(load_default="info", validate=validate.OneOf(
        ["info", "warning", "error", "debug", "notice"]))
    step = fields.String(load_default=None, allow_none=True, validate=_name)


class AppendLogs(Schema):
    """``POST /api/jobs/{id}/logs``: lines in the seed's log entry shape."""

    logs = fields.List(fields.Nested(LogLine), required=True,
                       validate=validate.Length(min=1, max=1000))


class Capabilities(Schema):
    class Meta:
        unknown = RAISE

    docker = fields.Boolean()
    kubernetes = fields.Boolean()
    max_concurrent_jobs = fields.Integer(validate=validate.Range(min=1, max=1024))


class ResourceInfo(Schema):
    class Meta:
        unknown = RAISE

    cpu_cores = fields.Integer(validate=validate.Range(min=1, max=100000))
    memory_gb = fields.Float(validate=validate.Range(min=0, min_inclusive=False))
    disk_gb = fields.Float(validate=validate.Range(min=0, min_inclusive=False))


class RegisterRunner(Schema):
    name = fields.String(required=True, validate=_name)
    labels = fields.List(fields.String(validate=_name), required=True,
                         validate=validate.Length(min=1, max=64))
    os = fields.String(load_default="", validate=validate.Length(max=64))
    architecture = fields.String(load_default="", validate=validate.Length(max=64))
    capabilities = fields.Nested(Capabilities, load_default=dict)
    resource_info = fields.Nested(ResourceInfo, load_default=dict)
    owner = fields.String(load_default=None, allow_none=True, validate=_name)


# --- response shapes: the data inside RunnerHub's envelope (docs/runnerhub.md) -----------
# Each shape is a body's wire form and its OpenAPI component, and reads the rows themselves.
# A job body reads a hosted job (an actions job row, beside a jobs.JobRenderer) or an
# external job (an ExternalJob row, beside an external_jobs.ExternalJobRenderer): a field
# that differs between the two kinds asks the renderer (``per_kind``), which answers the same
# calls for both.


def per_kind(build, name: str, **options):
    """A job field that the job's renderer gives: ``renderer.<name>(job)``."""
    def get(job, renderer):
        return getattr(renderer, name)(job)
    get.__name__ = f"per_kind_{name}"
    return build(name, get, **options)


JOB_METADATA_SHAPE = Shape("HubJobMetadata", [  # over a hosted job, beside jobs.JobRenderer
    per_kind(string, "branch", nullable=True), per_kind(string, "commit_sha", nullable=True),
    per_kind(integer, "pr_number", nullable=True),
], description="a hosted job's; an external job's metadata is what its delegation sent")


def _metadata(job, renderer):
    if renderer.external:
        return job.metadata or {}  # what its delegation sent
    return JOB_METADATA_SHAPE(job, renderer)


JOB_PROGRESS_SHAPE = Shape("HubJobProgress", [  # over jobs.Progress
    string("current_step", nullable=True), integer("total_steps", nullable=True),
    integer("percentage", nullable=True),
])

_JOB_FIELDS = [
    string("id", lambda job, renderer: renderer.job_id(job)),
    per_kind(integer, "github_job_id", nullable=True,
             description="hosted: the job's id in /api/v1; external: GitHub's job id as sent"),
    per_kind(string, "job_name"), per_kind(string, "repository"),
    per_kind(string, "workflow_name"),
    per_kind(string, "status", description="pending, assigned, running, completed or failed"),
    per_kind(string, "result", nullable=True), per_kind(string, "runner_id", nullable=True),
    per_kind(string, "container_id", nullable=True), per_kind(array, "labels", items="string"),
    time("created_at", lambda job, renderer: rfc3339(job.created)),
    time("started_at", lambda job, renderer: rfc3339(job.started), nullable=True),
    time("completed_at", lambda job, renderer: rfc3339(job.stopped), nullable=True),
    time("updated_at", lambda job, renderer: rfc3339(job.updated)),
    per_kind(time, "estimated_completion", nullable=True),
    obj("metadata", _metadata, description="hosted jobs: HubJobMetadata; external jobs: as "
                                           "delegated"),
]
_EXTERNAL_FIELDS = [
    per_kind(string, "delegation_id"), integer("exit_code", nullable=True),
    array("artifacts", lambda job, renderer: list(job.artifacts or ()), items="object"),
]
_DETAIL_FIELDS = [
    nested(obj, "progress", lambda job, renderer: renderer.progress(job),
           shape=JOB_PROGRESS_SHAPE),
    obj("resource_usage", const=None, nullable=True, description="always null"),
    string("logs_url", lambda job, renderer: f"/api/jobs/{renderer.job_id(job)}/logs"),
]

HUB_JOB_SHAPE = Shape("HubJob", _JOB_FIELDS, description="a hosted job (an actions job)")
EXTERNAL_JOB_SHAPE = Shape("ExternalHubJob", _JOB_FIELDS + _EXTERNAL_FIELDS,
                           description="a job delegated for a repository Plue does not host")
HUB_JOB_DETAIL_SHAPE = Shape("HubJobDetail", _JOB_FIELDS + _DETAIL_FIELDS)
EXTERNAL_JOB_DETAIL_SHAPE = Shape("ExternalHubJobDetail",
                                  _JOB_FIELDS + _EXTERNAL_FIELDS + _DETAIL_FIELDS)


def job_summary(job, renderer) -> dict:
    """A job in the shape of its kind (hosted or external), as ``/api/jobs`` lists it."""
    return (EXTERNAL_JOB_SHAPE if renderer.external else HUB_JOB_SHAPE)(job, renderer)


def job_detail(job, renderer) -> dict:
    """A job's detail in the shape of its kind (hosted or external)."""
    return (EXTERNAL_JOB_DETAIL_SHAPE if renderer.external else HUB_JOB_DETAIL_SHAPE)(
        job, renderer)


PAGINATION_SHAPE = Shape("HubPagination", [  # over job_listing.JobPage
    integer("total"), integer("limit", "page.limit"), integer("offset", "page.offset"),
    integer("pages", lambda listing, view: listing.page.pages(listing.total)),
])

JOB_PAGE_SHAPE = Shape("HubJobPage", [  # over job_listing.JobPage
    array("jobs", lambda listing, view: [job_summary(job, renderer)
                                         for job, renderer in listing.jobs],
          items=EXTERNAL_JOB_SHAPE,
          description="hosted jobs (HubJob) carry no delegation_id, exit_code or artifacts"),
    nested(obj, "pagination", lambda listing, view: listing, shape=PAGINATION_SHAPE),
])

DELEGATION_SHAPE = Shape("HubDelegation", [  # over the job delegated, beside its renderer
    per_kind(string, "delegation_id"),
    string("job_id", lambda job, renderer: renderer.job_id(job)),
    per_kind(string, "runner_id", nullable=True), per_kind(string, "container_id", nullable=True),
    string("status", lambda job, renderer: renderer.delegation_status(job),
           description="assigned or queued"),
    time("created_at", lambda job, renderer: rfc3339(renderer.delegated(job))),
    per_kind(time, "estimated_completion", nullable=True),
])

LOG_LINE_SHAPE = Shape("HubLogLine", [  # over an ExternalJobLog row or a job_logs.LogLine
    time("timestamp", lambda line, view: rfc3339(line.timestamp)), string("level"),
    string("message"), string("step", nullable=True),
])

LOG_METADATA_SHAPE = Shape("HubLogMetadata", [  # over job_logs.JobLog
    integer("total_lines"), integer("returned_lines", lambda log, view: len(log.lines)),
    string("job_status"), time("last_update", lambda log, view: rfc3339(log.last_update),
                               nullable=True),
    boolean("complete"),
])

JOB_LOG_SHAPE = Shape("HubJobLog", [  # over job_logs.JobLog
    nested(array, "logs", "lines", items=LOG_LINE_SHAPE),
    nested(obj, "metadata", lambda log, view: log, shape=LOG_METADATA_SHAPE),
])

LOGS_RECEIVED_SHAPE = Shape("HubLogsReceived", [  # over external_reports.LogsReceived
    string("job_id"), integer("received"), integer("total_lines"),
])

# The runner shapes read an actions runner row beside hub_runners.RunnerRenderer (the view:
# profiles, busy flags, current jobs of a page of runners fetched at once).

CURRENT_JOB_SHAPE = Shape("HubRunnerCurrentJob", [  # over hub_runners.CurrentJob
    string("job_id"), string("job_name"),
    time("started_at", lambda job, view: rfc3339(job.started), nullable=True),
])


def _online(runner, renderer) -> str:
    return "online" if renderer.online(runner) else "offline"


def _profile(field: str, *, blank_is_null: bool = False):
    def get(runner, renderer):
        value = renderer.profile(runner, field)
        return (value or None) if blank_is_null else value
    return get


_RUNNER_FIELDS = [
    string("id", lambda runner, renderer: prefixed("runner", runner.id)), string("name"),
    string("status", _online, description="online or offline"),
    boolean("busy", lambda runner, renderer: renderer.busy(runner)),
    array("labels", lambda runner, renderer: list(runner.labels or ()), items="string"),
    string("os", _profile("os", blank_is_null=True), nullable=True),
    string("architecture", _profile("architecture", blank_is_null=True), nullable=True),
    nested(obj, "current_job", lambda runner, renderer: renderer.jobs.get(runner.id),
           shape=CURRENT_JOB_SHAPE, nullable=True),
    time("last_seen", lambda runner, renderer: rfc3339(runner.last_online), nullable=True),
    time("created_at", lambda runner, renderer: rfc3339(runner.created)),
    obj("capabilities", _profile("capabilities"), nullable=True),
    obj("resource_info", _profile("resource_info"), nullable=True),
    boolean("disabled"),
    string("version", lambda runner, renderer: runner.version or None, nullable=True),
]
HUB_RUNNER_SHAPE = Shape("HubRunner", _RUNNER_FIELDS)
REGISTERED_RUNNER_SHAPE = Shape("HubRegisteredRunner", _RUNNER_FIELDS + [
    string("uuid", description="runner.v1's x-runner-uuid"),
    string("token", lambda runner, renderer: renderer.token,
           description="runner.v1's x-runner-token: shown this once"),
])


def _count(which):
    return lambda runners, renderer: sum(1 for runner in runners if which(runner, renderer))


RUNNERS_SUMMARY_SHAPE = Shape("HubRunnersSummary", [  # over a list of runners
    integer("total", lambda runners, renderer: len(runners)),
    integer("online", _count(lambda runner, renderer: renderer.online(runner))),
    integer("busy", _count(lambda runner, renderer: renderer.busy(runner))),
    integer("idle", _count(lambda runner, renderer: renderer.online(runner)
                           and not renderer.busy(runner))),
    integer("offline", _count(lambda runner, renderer: not renderer.online(runner))),
])

RUNNERS_SHAPE = Shape("HubRunners", [  # over hub_runners.Listing
    nested(array, "runners", "shown", items=HUB_RUNNER_SHAPE),
    nested(obj, "summary", "every", shape=RUNNERS_SUMMARY_SHAPE),
])

RUNNER_HEALTH_SHAPE = Shape("HubRunnerHealth", [
    string("status", lambda runner, renderer: renderer.health(runner),
           description="healthy, offline or disabled"),
    time("last_heartbeat", lambda runner, renderer: rfc3339(runner.last_online), nullable=True),
    integer("uptime", lambda runner, renderer: renderer.uptime(runner), nullable=True,
            description="seconds since it declared itself"),
])

RUNNER_STATUS_SHAPE = Shape("HubRunnerStatus", [
    string("id", lambda runner, renderer: prefixed("runner", runner.id)), string("name"),
    string("status", _online), boolean("busy", lambda runner, renderer: renderer.busy(runner)),
    nested(obj, "current_job", lambda runner, renderer: renderer.jobs.get(runner.id),
           shape=CURRENT_JOB_SHAPE, nullable=True),
    obj("resource_usage", const=None, nullable=True, description="always null"),
    nested(obj, "health", lambda runner, renderer: runner, shape=RUNNER_HEALTH_SHAPE),
])

QUEUE_SHAPE = Shape("HubQueue", [  # over queues.Queue
    string("name"), integer("waiting"), integer("active"), integer("completed"),
    integer("failed"), integer("delayed"), boolean("paused"),
])


def _total(column: str):
    return lambda queues, view: sum(getattr(queue, column) for queue in queues)


QUEUES_SUMMARY_SHAPE = Shape("HubQueuesSummary", [  # over a list of queues.Queue
    integer(f"total_{column}", _total(column))
    for column in ("waiting", "active", "completed", "failed")
])

QUEUES_SHAPE = Shape("HubQueues", [  # over a list of queues.Queue (queues.status)
    nested(array, "queues", lambda queues, view: queues, items=QUEUE_SHAPE),
    nested(obj, "summary", lambda queues, view: queues, shape=QUEUES_SUMMARY_SHAPE),
])

QUEUE_CLEARED_SHAPE = Shape("HubQueueCleared", [  # over the queue's name; the view: the count
    string("name", lambda name, cleared: name),
    integer("cleared", lambda name, cleared: cleared),
])


def _or_null(name: str):
    """A column that is "" when unset, shown as null."""
    def get(row, view):
        return getattr(row, name) or None
    return get


# Over a GitHubDelivery row; the view is whether it had been received before. The /api/ws
# ``github_webhook`` event is this body without ``duplicate``.
DELIVERY_SHAPE = Shape("GitHubDelivery", [
    string("delivery_id"), string("event"), string("action", _or_null("action"), nullable=True),
    string("repository", _or_null("repository"), nullable=True),
    string("sender", _or_null("sender"), nullable=True),
    string("job_id", lambda delivery, duplicate: prefixed(EXTERNAL_PREFIX, delivery.job_id),
           nullable=True),
    time("received_at", lambda delivery, duplicate: rfc3339(delivery.received)),
    boolean("duplicate", lambda delivery, duplicate: duplicate),
])

JOB_PAGE_ENVELOPE = hub_envelope(JOB_PAGE_SHAPE)
JOB_DETAIL_ENVELOPE = hub_envelope(EXTERNAL_JOB_DETAIL_SHAPE)
DELEGATION_ENVELOPE = hub_envelope(DELEGATION_SHAPE)
JOB_LOG_ENVELOPE = hub_envelope(JOB_LOG_SHAPE)
LOGS_RECEIVED_ENVELOPE = hub_envelope(LOGS_RECEIVED_SHAPE)
RUNNERS_ENVELOPE = hub_envelope(RUNNERS_SHAPE)
REGISTERED_RUNNER_ENVELOPE = hub_envelope(REGISTERED_RUNNER_SHAPE)
RUNNER_STATUS_ENVELOPE = hub_envelope(RUNNER_STATUS_SHAPE)
QUEUES_ENVELOPE = hub_envelope(QUEUES_SHAPE)
QUEUE_ENVELOPE = hub_envelope(QUEUE_SHAPE)
QUEUE_CLEARED_ENVELOPE = hub_envelope(QUEUE_CLEARED_SHAPE)
DELIVERY_ENVELOPE = hub_envelope(DELIVERY_SHAPE)
