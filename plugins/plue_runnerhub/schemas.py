"""Request bodies of the RunnerHub endpoints (the seed's field names)."""

from marshmallow import RAISE, Schema, fields, validate

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
