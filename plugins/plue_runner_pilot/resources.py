"""Seed 001 sections 4-6: ``/org/{org_id}/runners[/{runner_id}]``, its ``instance`` collection
and each instance's ``metrics`` and ``logs``. Thin: parse, call a service function, dump."""

from __future__ import annotations

from marshmallow import RAISE

from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_runner_pilot import instances, monitoring, runner_definitions
from plue_runner_pilot.schemas import (
    INSTANCE_SHAPE, INSTANCE_SUMMARY_SHAPE, LOG_LINE_SHAPE, METRICS_SHAPE, RUNNER_DETAILS_SHAPE,
    RUNNER_LIST_ITEM_SHAPE, RUNNER_SHAPE, RUNNER_UPDATED_SHAPE, InstanceRequest, RunnerRequest,
    RunnerUpdate,
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
    @operation("List the organization's runners", response=RUNNER_LIST_ITEM_SHAPE, many=True, tags=TAGS)
    def on_get(self, req, resp, org_id):
        org = self.org(req, org_id)
        resp.media = RUNNER_LIST_ITEM_SHAPE.many(runner_definitions.list_runners(org.id))

    @operation("Create a runner", request=RunnerRequest, response=RUNNER_SHAPE, tags=TAGS)
    def on_post(self, req, resp, org_id):
        org = self.org(req, org_id, write=True)
        body = load_body(req, RunnerRequest, unknown=RAISE)
        resp.media = RUNNER_SHAPE(runner_definitions.create_runner(self.service.vault, org.id, body))


class RunnerResource(_RunnersResource):
    @operation("Get a runner", response=RUNNER_DETAILS_SHAPE, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id)
        resp.media = RUNNER_DETAILS_SHAPE(runner)

    @operation("Update a runner", request=RunnerUpdate, response=RUNNER_UPDATED_SHAPE, tags=TAGS)
    def on_put(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id, write=True)
        changes = load_body(req, RunnerUpdate, unknown=RAISE)
        runner = runner_definitions.update_runner(self.service.vault, runner, changes)
        resp.media = RUNNER_UPDATED_SHAPE(runner)

    @operation("Delete a runner (refused while it has instances)", tags=TAGS)
    def on_delete(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id, write=True)
        runner_definitions.delete_runner(runner)
        resp.media = {"message": "Runner deleted successfully."}


class InstancesResource(_RunnersResource):
    @operation("List a runner's instances", response=INSTANCE_SUMMARY_SHAPE, many=True, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id):
        _, runner = self.runner(req, org_id, runner_id)
        resp.media = INSTANCE_SUMMARY_SHAPE.many(instances.list_instances(self.service, runner))

    @operation("Start a runner instance (a container) on a node", request=InstanceRequest,
               response=INSTANCE_SHAPE, tags=TAGS)
    def on_post(self, req, resp, org_id, runner_id):
        org, runner = self.runner(req, org_id, runner_id, write=True)
        body = load_body(req, InstanceRequest, unknown=RAISE)
        node = self.service.nodes.get_node(org.id, body["node_id"])
        resp.media = INSTANCE_SHAPE(instances.start_instance(self.service, org, runner, node))


class InstanceResource(_RunnersResource):
    @operation("Get a runner instance (its status asked of the engine)", response=INSTANCE_SHAPE,
               tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id, instance_id):
        instance = self.instance(req, org_id, runner_id, instance_id)
        resp.media = INSTANCE_SHAPE(instances.refresh_instance(self.service, instance))

    @operation("Stop and remove a runner instance's container", tags=TAGS)
    def on_delete(self, req, resp, org_id, runner_id, instance_id):
        instance = self.instance(req, org_id, runner_id, instance_id, write=True)
        instances.delete_instance(self.service, instance)
        resp.media = {"message": "Runner instance deleted successfully."}


class InstanceMetricsResource(_RunnersResource):
    @operation("CPU, memory and disk use of a runner instance", response=METRICS_SHAPE, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id, instance_id):
        instance = self.instance(req, org_id, runner_id, instance_id)
        resp.media = METRICS_SHAPE(monitoring.metrics(self.service, instance))


class InstanceLogsResource(_RunnersResource):
    @operation("The last lines a runner instance wrote (?lines=, default 100)",
               response=LOG_LINE_SHAPE, many=True, tags=TAGS)
    def on_get(self, req, resp, org_id, runner_id, instance_id):
        lines = req.get_param_as_int("lines", min_value=1, max_value=monitoring.MAX_LOG_LINES)
        instance = self.instance(req, org_id, runner_id, instance_id)
        resp.media = LOG_LINE_SHAPE.many(monitoring.logs(self.service, instance, lines))
