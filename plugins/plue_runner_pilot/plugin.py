"""runner_pilot: Runner Pilot's runner definitions, their instances (containers on nodes) and the
instances' metrics and logs (seed 001 sections 4-6). This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_runner_pilot import cleanup, models, resources
from plue_runner_pilot.service import RunnersService
from plue_runner_pilot.settings import RunnersSettings

PLUE_NAME = "runner_pilot"
PLUE_REQUIRES = ("accounts", "nodes")
RUNNER = "/org/{org_id}/runners/{runner_id}"
INSTANCE = RUNNER + "/instance/{instance_id}"


@hookimpl
def register_settings():
    return [(PLUE_NAME, RunnersSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("runners", RunnersService(ctx))]


@hookimpl
def register_routes(ctx):
    return [
        Route("/org/{org_id}/runners", resources.RunnersResource(ctx)),
        Route(RUNNER, resources.RunnerResource(ctx)),
        Route(RUNNER + "/instance", resources.InstancesResource(ctx)),
        Route(INSTANCE, resources.InstanceResource(ctx)),
        Route(INSTANCE + "/metrics", resources.InstanceMetricsResource(ctx)),
        Route(INSTANCE + "/logs", resources.InstanceLogsResource(ctx)),
    ]


@hookimpl
def node_change_blockers(ctx, node):
    running = ctx.services["runners"].instances_on_node(node.id)
    if running:
        names = ", ".join(f"{i.runner.name}/{i.instance_identifier}" for i in running)
        return [f"runner instances run on it: {names}"]
    return []


@hookimpl
def account_deletion_blockers(ctx, account):
    if account.type != "organization":
        return []
    running = ctx.services["runners"].instances_of_org(account.id)
    if running:
        return [f"runs runner instances: {', '.join(i.instance_identifier for i in running)}"]
    return []


@hookimpl
def on_event(ctx, event):
    if event.name == "account_deleted" and event.account_type == "organization":
        cleanup.forget_org(ctx.services["runners"], event.account_id)
