"""runnerhub: RunnerHub's job, runner and queue APIs: a view and control surface over the
actions engine (its runs, jobs, tasks, runners and logs) for repositories Plue hosts, and
external jobs handed to hub runners for every other repository. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.scheduler import ScheduledJob
from plue_runnerhub import external_assignment, models, queues, routes
from plue_runnerhub.events import GitHubWebhookReceived
from plue_runnerhub.live_feed import endpoint
from plue_runnerhub.service import RunnerHubService
from plue_runnerhub.settings import RunnerHubSettings

PLUE_NAME = "runnerhub"
PLUE_REQUIRES = ("accounts", "git_hosting", "actions")


@hookimpl
def register_settings():
    return [("runnerhub", RunnerHubSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("runnerhub", RunnerHubService(ctx))]


@hookimpl
def register_events():
    return [GitHubWebhookReceived]


@hookimpl
def register_routes(ctx):
    return routes.all_routes(ctx.services["actions"], ctx.section("runnerhub"))


@hookimpl
def register_websocket_endpoints(ctx):
    return [endpoint.ENDPOINT]  # /api/ws, RunnerHub's live feed (docs/websocket.md)


@hookimpl
def register_jobs(ctx):
    service = ctx.services["actions"]
    # Events hand jobs out at once; this pass catches what no event covers (a runner that
    # went offline holding assigned jobs, a slot freed by an actions task ending).
    return [ScheduledJob("runnerhub.assign_external_jobs",
                         lambda ctx: external_assignment.scheduled_pass(service), "interval",
                         {"seconds": 15})]


@hookimpl
def startup(ctx):
    # Paused queues: the actions claim path asks this before handing a job to a runner.
    claim_filters = ctx.services["actions"].claim_filters
    if queues.held_back_factory not in claim_filters:
        claim_filters.append(queues.held_back_factory)
