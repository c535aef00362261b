"""The wire shapes of seed 001 sections 4-6. ``github_runner_token`` is write-only: responses
carry its masked form (see token_vault.mask)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plue_core import image_references
from plue_core.shapes import Shape, item, number, obj, string, time
from plue_core.timestamps import rfc3339
from plue_runner_pilot.models import RUNNER_STATUSES

_name = validate.Length(min=1, max=100)
# As Docker parses it: [registry[:port]/]path[:tag][@digest]. (No OpenAPI pattern: the
# grammar's pattern is more than schemathesis's regex rewriting can take.)
_image = [validate.Length(max=255), image_references.validate]
_repo = validate.Regexp(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$",
                        error="must be a GitHub repository as owner/name")
_token = validate.Length(min=1, max=255)


class RunnerRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=_name)
    docker_image = fields.String(required=True, validate=_image)
    github_repo = fields.String(required=True, validate=_repo)
    github_runner_token = fields.String(required=True, validate=_token)
    status = fields.String(load_default="idle", validate=validate.OneOf(RUNNER_STATUSES))


class RunnerUpdate(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(validate=_name)
    docker_image = fields.String(validate=_image)
    github_repo = fields.String(validate=_repo)
    github_runner_token = fields.String(validate=_token)
    status = fields.String(validate=validate.OneOf(RUNNER_STATUSES))


# ``github_runner_token`` is the masked token (the vault keeps the real one).
RUNNER_SHAPE = Shape("Runner", [
    string("uid", lambda runner, _: str(runner.uid)),
    string("name"),
    string("status"),
    string("docker_image"),
    string("github_repo"),
    string("github_runner_token", "token_masked"),
    time("created_at", lambda runner, _: rfc3339(runner.created_at)),
])
# What each seed answer carries, in the seed's order.
RUNNER_LIST_ITEM_SHAPE = RUNNER_SHAPE.only(
    "RunnerListItem", ("uid", "name", "github_runner_token", "status"))
RUNNER_DETAILS_SHAPE = RUNNER_SHAPE.only(
    "RunnerDetails", ("uid", "name", "status", "docker_image", "github_repo",
                      "github_runner_token"))
RUNNER_UPDATED_SHAPE = RUNNER_SHAPE.only(
    "RunnerUpdated", ("uid", "github_runner_token", "name", "status"))


class InstanceRequest(Schema):
    class Meta:
        unknown = RAISE

    node_id = fields.UUID(required=True)


INSTANCE_SHAPE = Shape("RunnerInstance", [
    string("uid", lambda instance, _: str(instance.uid)),
    obj("runner", lambda i, _: {"uid": str(i.runner.uid), "name": i.runner.name}),
    obj("node", lambda i, _: i.node_reference, nullable=True),
    string("instance_identifier"),
    string("instance_host"),
    string("status"),
    time("last_heartbeat", lambda i, _: rfc3339(i.last_heartbeat), nullable=True),
])
INSTANCE_SUMMARY_SHAPE = INSTANCE_SHAPE.only(
    "RunnerInstanceSummary", ("uid", "instance_identifier", "instance_host", "status"))


# monitoring.metrics and monitoring.logs gather these as dicts.
METRICS_SHAPE = Shape("RunnerInstanceMetrics", [
    number(name, item(name)) for name in ("cpu_usage", "memory_usage", "disk_usage")
] + [string("timestamp", item("timestamp"))])

LOG_LINE_SHAPE = Shape("RunnerInstanceLogLine", [
    string(name, item(name)) for name in ("timestamp", "level", "message")])
