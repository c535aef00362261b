"""notifications: Gitea's notification threads — who is told of activity on an issue or a
pull request (the repository's watchers and the issue's participants), the threads API
(/notifications, /repos/{owner}/{repo}/notifications) and the web page. It listens to the
issues and pulls plugins' events, which never import it. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_notifications import activities, models
from plue_notifications.resources import threads
from plue_notifications.service import NotificationsService

PLUE_NAME = "notifications"
PLUE_REQUIRES = ("accounts", "git_hosting", "issues")

V1 = "/api/v1"


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("notifications", NotificationsService(ctx))]


@hookimpl
def register_routes(ctx):
    return [
        Route(f"{V1}/notifications", threads.NotificationsResource(ctx)),
        Route(f"{V1}/notifications/new", threads.NewNotificationsResource(ctx)),
        Route(f"{V1}/notifications/threads/{{thread_id:id}}", threads.ThreadResource(ctx)),
        Route(f"{V1}/repos/{{owner}}/{{repo}}/notifications",
              threads.RepositoryNotificationsResource(ctx)),
    ]


@hookimpl
def on_event(ctx, event):
    activity = activities.activity_of(event)
    if activity is not None:
        ctx.services["notifications"].notify_after_commit(activity)
