"""The wire shapes of seed 001 sections 4-6. ``github_runner_token`` is write-only: responses
carry its masked form (see token_vault.mask)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plue_core.timestamps import rfc3339
from plue_runners.models import RUNNER_STATUSES

_name = validate.Length(min=1, max=100)
# docker's reference grammar, loosely: [registry[:port]/]path[:tag][@digest], no spaces.
_image = validate.Regexp(r"^[a-z0-9][a-z0-9._/:-]*(@sha256:[0-9a-f]{64})?$",
                         error="must be a Docker image reference such as ubuntu:22.04")
_repo = validate.Regexp(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$",
                        error="must be a GitHub repository as owner/name")
_token = validate.Length(min=1, max=255)


class RunnerRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=_name)
    docker_image = fields.String(required=True, validate=[validate.Length(max=255), _image])
    github_repo = fields.String(required=True, validate=_repo)
    github_runner_token = fields.String(required=True, validate=_token)
    status = fields.String(load_default="idle", validate=validate.OneOf(RUNNER_STATUSES))


class RunnerUpdate(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(validate=_name)
    docker_image = fields.String(validate=[validate.Length(max=255), _image])
    github_repo = fields.String(validate=_repo)
    github_runner_token = fields.String(validate=_token)
    status = fields.String(validate=validate.OneOf(RUNNER_STATUSES))


class RunnerSchema(Schema):
    uid = fields.String()
    name = fields.String()
    status = fields.String()
    docker_image = fields.String()
    github_repo = fields.String()
    github_runner_token = fields.String(attribute="token_masked")
    created_at = fields.Function(lambda runner: rfc3339(runner.created_at))


def runner_json(runner, *fields_: str) -> dict:
    """The runner with only ``fields_`` (all of them when none are named)."""
    return RunnerSchema(only=fields_ or None).dump(runner)


class InstanceRequest(Schema):
    class Meta:
        unknown = RAISE

    node_id = fields.UUID(required=True)


class InstanceSchema(Schema):
    uid = fields.String()
    runner = fields.Function(lambda i: {"uid": str(i.runner.uid), "name": i.runner.name})
    node = fields.Function(lambda i: i.node_reference)
    instance_identifier = fields.String()
    instance_host = fields.String()
    status = fields.String()
    last_heartbeat = fields.Function(lambda i: rfc3339(i.last_heartbeat))


INSTANCE_SUMMARY_FIELDS = ("uid", "instance_identifier", "instance_host", "status")


class MetricsSchema(Schema):
    cpu_usage = fields.Float()
    memory_usage = fields.Float()
    disk_usage = fields.Float()
    timestamp = fields.String()


class LogLineSchema(Schema):
    timestamp = fields.String()
    level = fields.String()
    message = fields.String()
