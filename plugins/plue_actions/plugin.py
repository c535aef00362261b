"""actions: workflow runs triggered by pushes, pull requests, dispatch and schedules; the
runner.v1 protocol runners speak; the Gitea actions REST API. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.scheduler import ScheduledJob

from plue_actions import cleanup, events, models, routes, scheduled_jobs, task_tokens, triggers
from plue_actions.service import ActionsService
from plue_actions.settings import ActionsSettings

PLUE_NAME = "actions"
PLUE_REQUIRES = ("accounts", "git_hosting")


@hookimpl
def register_settings():
    return [("actions", ActionsSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("actions", ActionsService(ctx))]


@hookimpl
def register_events():
    return events.EVENTS


@hookimpl
def register_routes(ctx):
    return routes.all_routes(ctx.services["actions"])


@hookimpl
def register_jobs(ctx):
    service = ctx.services["actions"]
    interval = service.settings["reaper_interval"]
    return [
        ScheduledJob("actions.schedules", lambda ctx: scheduled_jobs.start_schedules(service),
                     "interval", {"seconds": 60}),
        ScheduledJob("actions.reap_tasks", lambda ctx: scheduled_jobs.reap_tasks(service),
                     "interval", {"seconds": interval}),
        ScheduledJob("actions.reap_abandoned_jobs",
                     lambda ctx: scheduled_jobs.reap_abandoned_jobs(service),
                     "interval", {"seconds": max(interval, 600)}),
        ScheduledJob("actions.expire_artifacts",
                     lambda ctx: scheduled_jobs.expire_artifacts(service),
                     "interval", {"seconds": 3600}),
    ]


@hookimpl
def on_event(ctx, event):
    # By name, so pull_request events work whenever the pulls plugin is enabled and
    # nothing breaks when it is not.
    if event.name == "push":
        triggers.on_push(ctx.services["actions"], event)
    elif event.name == "pull_request":
        triggers.on_pull_request(ctx.services["actions"], event)
    elif event.name == "repository_deleted":
        service = ctx.services["actions"]
        # Files go at once: a rolled-back deletion loses logs, never leaves secrets behind.
        cleanup.remove_files(service, cleanup.forget_repository(service, event.repository_id))
    elif event.name == "account_deleted":
        cleanup.forget_owner(event.account_id)


@hookimpl
def register_cli():
    from plue_actions.cli import actions
    return [actions]


@hookimpl(tryfirst=True)
def authenticate(ctx, req):
    return task_tokens.authenticate(ctx.services["actions"], req)


@hookimpl
def shutdown(ctx):
    ctx.services["actions"].close()
