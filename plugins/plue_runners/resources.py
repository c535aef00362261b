"""Seed 001 sections 4-6: ``/org/{org_id}/runners[/{runner_id}]``, its ``instance`` collection
and each instance's ``metrics`` and ``logs``. Thin: parse, call a service function, dump."""

from __future__ import annotations

from marshmallow import RAISE

from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_runners import instances, monitoring, runner_definitions
from plue_runners.schemas import (
    INSTANCE_SUMMARY_FIELDS, InstanceRequest, InstanceSchema, LogLineSchema, MetricsSchema,
    RunnerRequest, RunnerSchema, RunnerUpdate, runner_json,
)

TAGS = ("pilot",)


class _RunnersResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.service = ctx.services["runners"]

    def org(self, req, org_id, *, write: bool = False):
        identity = require_identity(req, scope=("write" if write else "read", "organization"))
        return self.service.nodes.org_for(identity, org_id, write=write)

    def runner(self, req, org_id, runner_id, *, write: bool = False):
        org = self.org(req, org_id, write=write)
        return org, runner_definitions.get_runner(org.id, runner_id)

    def instance(self, req, org_id, runner_id, instance_id, *, write: bool = False):
        _, runner = self.runner(req, org_id, runner_id, write=write)
        return instances.get_instance(self.service, runner, instance_id)


class RunnersResource(_RunnersResource):
    @operation("List the organization's runners", response=RunnerSchema, many=True, tags=TAGS)
    def on_get(self, req, resp, org_id):
        org = self.org(req, org_id)
        resp.media = [runner_json(r, "uid", "name", "github_runner_token", "status")
                      for r in runner_definitions.list_runners(org.id)]

    @operation("Create a runner", request=RunnerRequest, response=RunnerSchema, tags=TAGS)
    def on_post(self, req, resp, org_id):
        org = self.org(req, org_id, write=True)
        body = load_body(req, RunnerRequest, unknown=RAISE)
        resp.media = runner_json(runner_definitions.create_runner(self.service.vault, org.id, body))


class RunnerResource(_RunnersResource):
    @operation("Get a runner", response=RunnerSchema, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id)
        resp.media = runner_json(runner, "uid", "name", "status", "docker_image", "github_repo",
                                 "github_runner_token")

    @operation("Update a runner", request=RunnerUpdate, response=RunnerSchema, tags=TAGS)
    def on_put(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id, write=True)
        changes = load_body(req, RunnerUpdate, unknown=RAISE)
        runner = runner_definitions.update_runner(self.service.vault, runner, changes)
        resp.media = runner_json(runner, "uid", "github_runner_token", "name", "status")

    @operation("Delete a runner (refused while it has instances)", tags=TAGS)
    def on_delete(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id, write=True)
        runner_definitions.delete_runner(runner)
        resp.media = {"message": "Runner deleted successfully."}


class InstancesResource(_RunnersResource):
    @operation("List a runner's instances", response=InstanceSchema, many=True, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id)
        resp.media = InstanceSchema(many=True, only=INSTANCE_SUMMARY_FIELDS).dump(
            instances.list_instances(self.service, runner))

    @operation("Start a runner instance (a container) on a node", request=InstanceRequest,
               response=InstanceSchema, tags=TAGS)
    def on_post(self, req, resp, org_id, runner_id):
        org, runner = self.runner(req, org_id, runner_id, write=True)
        body = load_body(req, InstanceRequest, unknown=RAISE)
        node = self.service.nodes.get_node(org.id, body["node_id"])
        resp.media = InstanceSchema().dump(instances.start_instance(self.service, org, runner, node))


class InstanceResource(_RunnersResource):
    @operation("Get a runner instance (its status asked of the engine)", response=InstanceSchema,
               tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id, instance_id):
        instance = self.instance(req, org_id, runner_id, instance_id)
        resp.media = InstanceSchema().dump(instances.refresh_instance(self.service, instance))

    @operation("Stop and remove a runner instance's container", tags=TAGS)
    def on_delete(self, req, resp, org_id, runner_id, instance_id):
        instance = self.instance(req, org_id, runner_id, instance_id, write=True)
        instances.delete_instance(self.service, instance)
        resp.media = {"message": "Runner instance deleted successfully."}


class InstanceMetricsResource(_RunnersResource):
    @operation("CPU, memory and disk use of a runner instance", response=MetricsSchema, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id, instance_id):
        instance = self.instance(req, org_id, runner_id, instance_id)
        resp.media = monitoring.metrics(self.service, instance)


class InstanceLogsResource(_RunnersResource):
    @operation("The last lines a runner instance wrote (?lines=, default 100)",
               response=LogLineSchema, many=True, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id, instance_id):
        lines = req.get_param_as_int("lines", min_value=1, max_value=monitoring.MAX_LOG_LINES)
        instance = self.instance(req, org_id, runner_id, instance_id)
        resp.media = monitoring.logs(self.service, instance, lines)
