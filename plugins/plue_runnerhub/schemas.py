"""Wire shapes of the RunnerHub endpoints (the seed's field names): request bodies
(marshmallow) and the data of the answers (plue_core.shapes, inside RunnerHub's envelope)."""

from marshmallow import RAISE, Schema, fields, validate

from plue_core.families import hub_envelope
from plue_core.shapes import Shape, array, boolean, integer, keyed, nested, obj, string, time
from plue_core.timestamps import rfc3339

from plue_runnerhub.envelope import prefixed
from plue_runnerhub.external_jobs import PREFIX as EXTERNAL_PREFIX

_name = validate.Length(min=1, max=255)


class DelegationMetadata(Schema):
    branch = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))
    commit_sha = fields.String(load_default=None, allow_none=True,
                               validate=validate.Regexp(r"^[0-9a-fA-F]{4,64}$",
                                                        error="must be a hexadecimal commit id"))
    pr_number = fields.Integer(load_default=None, allow_none=True,
                               validate=validate.Range(min=1))


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
    size = fields.Integer(load_default=0, validate=validate.Range(min=0))


class JobStatusUpdate(Schema):
    status = fields.String(required=True, validate=validate.OneOf(
        ["running", "completed", "failed", "cancelled"]))
    result = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        ["success", "failure", "cancelled", "skipped"]))
    completed_at = fields.DateTime(load_default=None, allow_none=True)
    exit_code = fields.Integer(load_default=None, allow_none=True)
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
# Each shape is a body's wire form and its OpenAPI component. The runner shapes read the rows
# themselves; the others still read a dict their module gathers first (jobs.JobRenderer,
# queues.status, ...: ``keyed`` fields).

JOB_METADATA_SHAPE = Shape("HubJobMetadata", [
    keyed(string, "branch", nullable=True), keyed(string, "commit_sha", nullable=True),
    keyed(integer, "pr_number", nullable=True),
], description="a hosted job's; an external job's metadata is what its delegation sent")

JOB_PROGRESS_SHAPE = Shape("HubJobProgress", [
    keyed(string, "current_step", nullable=True), keyed(integer, "total_steps", nullable=True),
    keyed(integer, "percentage", nullable=True),
])

_JOB_FIELDS = [
    keyed(string, "id"),
    keyed(integer, "github_job_id", nullable=True,
          description="hosted: the job's id in /api/v1; external: GitHub's job id as sent"),
    keyed(string, "job_name"), keyed(string, "repository"), keyed(string, "workflow_name"),
    keyed(string, "status", description="pending, assigned, running, completed or failed"),
    keyed(string, "result", nullable=True), keyed(string, "runner_id", nullable=True),
    keyed(string, "container_id", nullable=True), keyed(array, "labels", items="string"),
    keyed(time, "created_at"), keyed(time, "started_at", nullable=True),
    keyed(time, "completed_at", nullable=True), keyed(time, "updated_at"),
    keyed(time, "estimated_completion", nullable=True),
    keyed(obj, "metadata", description="hosted jobs: HubJobMetadata; external jobs: as delegated"),
]
_EXTERNAL_FIELDS = [
    keyed(string, "delegation_id"), keyed(integer, "exit_code", nullable=True),
    keyed(array, "artifacts", items="object"),
]
_DETAIL_FIELDS = [
    keyed(obj, "progress", shape=JOB_PROGRESS_SHAPE),
    keyed(obj, "resource_usage", nullable=True, description="always null"),
    keyed(string, "logs_url"),
]

HUB_JOB_SHAPE = Shape("HubJob", _JOB_FIELDS, description="a hosted job (an actions job)")
EXTERNAL_JOB_SHAPE = Shape("ExternalHubJob", _JOB_FIELDS + _EXTERNAL_FIELDS,
                           description="a job delegated for a repository Plue does not host")
HUB_JOB_DETAIL_SHAPE = Shape("HubJobDetail", _JOB_FIELDS + _DETAIL_FIELDS)
EXTERNAL_JOB_DETAIL_SHAPE = Shape("ExternalHubJobDetail",
                                  _JOB_FIELDS + _EXTERNAL_FIELDS + _DETAIL_FIELDS)

PAGINATION_SHAPE = Shape("HubPagination", [
    keyed(integer, "total"), keyed(integer, "limit"), keyed(integer, "offset"),
    keyed(integer, "pages"),
])


def _job_summary(job: dict, view) -> dict:
    return (EXTERNAL_JOB_SHAPE if "delegation_id" in job else HUB_JOB_SHAPE)(job, view)


def job_detail(job: dict) -> dict:
    """A job's detail in the shape of its kind (hosted or external)."""
    return (EXTERNAL_JOB_DETAIL_SHAPE if "delegation_id" in job else HUB_JOB_DETAIL_SHAPE)(job)


JOB_PAGE_SHAPE = Shape("HubJobPage", [
    array("jobs", lambda page, view: [_job_summary(job, view) for job in page["jobs"]],
          items=EXTERNAL_JOB_SHAPE,
          description="hosted jobs (HubJob) carry no delegation_id, exit_code or artifacts"),
    keyed(obj, "pagination", shape=PAGINATION_SHAPE),
])

DELEGATION_SHAPE = Shape("HubDelegation", [
    keyed(string, "delegation_id"), keyed(string, "job_id"),
    keyed(string, "runner_id", nullable=True), keyed(string, "container_id", nullable=True),
    keyed(string, "status", description="assigned or queued"), keyed(time, "created_at"),
    keyed(time, "estimated_completion", nullable=True),
])

LOG_LINE_SHAPE = Shape("HubLogLine", [
    keyed(time, "timestamp"), keyed(string, "level"), keyed(string, "message"),
    keyed(string, "step", nullable=True),
])

LOG_METADATA_SHAPE = Shape("HubLogMetadata", [
    keyed(integer, "total_lines"), keyed(integer, "returned_lines"), keyed(string, "job_status"),
    keyed(time, "last_update", nullable=True), keyed(boolean, "complete"),
])

JOB_LOG_SHAPE = Shape("HubJobLog", [
    keyed(array, "logs", items=LOG_LINE_SHAPE), keyed(obj, "metadata", shape=LOG_METADATA_SHAPE),
])

LOGS_RECEIVED_SHAPE = Shape("HubLogsReceived", [
    keyed(string, "job_id"), keyed(integer, "received"), keyed(integer, "total_lines"),
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

QUEUE_SHAPE = Shape("HubQueue", [
    keyed(string, "name"), keyed(integer, "waiting"), keyed(integer, "active"),
    keyed(integer, "completed"), keyed(integer, "failed"), keyed(integer, "delayed"),
    keyed(boolean, "paused"),
])

QUEUES_SUMMARY_SHAPE = Shape("HubQueuesSummary", [
    keyed(integer, "total_waiting"), keyed(integer, "total_active"),
    keyed(integer, "total_completed"), keyed(integer, "total_failed"),
])

QUEUES_SHAPE = Shape("HubQueues", [
    keyed(array, "queues", items=QUEUE_SHAPE), keyed(obj, "summary", shape=QUEUES_SUMMARY_SHAPE),
])

QUEUE_CLEARED_SHAPE = Shape("HubQueueCleared", [keyed(string, "name"), keyed(integer, "cleared")])

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
