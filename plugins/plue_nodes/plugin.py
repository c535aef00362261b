"""nodes: the Docker engines an organization's runner instances run on (seed 001 section 3).
This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_nodes import hookspecs, models, nodes, resources
from plue_nodes.service import NodesService
from plue_nodes.settings import NodesSettings

PLUE_NAME = "nodes"
PLUE_REQUIRES = ("accounts",)


@hookimpl
def add_hookspecs(plugin_manager):
    plugin_manager.add_hookspecs(hookspecs)


@hookimpl
def register_settings():
    return [("nodes", NodesSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("nodes", NodesService(ctx))]


@hookimpl
def register_routes(ctx):
    return [
        Route("/org/{org_id}/nodes", resources.NodesResource(ctx)),
        Route("/org/{org_id}/nodes/{node_id}", resources.NodeResource(ctx)),
    ]


@hookimpl
def on_event(ctx, event):
    if event.name == "account_deleted" and event.account_type == "organization":
        nodes.forget_org(event.account_id)
