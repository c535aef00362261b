"""The plugin: hook implementations only. Everything else lives in the modules beside it."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route
from plue_core.scheduler import ScheduledJob
from plue_hello import cli, models, resources, scheduled_jobs, service, websocket
from plue_hello.events import GreetingAdded
from plue_hello.settings import HelloSettings

PLUE_NAME = "hello"
# POST needs an authenticated identity, which the accounts plugin provides.
PLUE_REQUIRES = ("accounts",)


@hookimpl
def register_settings():
    return [("hello", HelloSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("hello", service.HelloService(ctx))]


@hookimpl
def register_events():
    return [GreetingAdded]


@hookimpl
def register_routes(ctx):
    return [
        Route("/api/v1/hello/greetings", resources.GreetingsResource(ctx)),
        Route("/api/v1/hello/tally", resources.TallyResource(ctx)),
    ]


@hookimpl
def register_websocket_endpoints(ctx):
    return [websocket.ENDPOINT]


@hookimpl
def register_jobs(ctx):
    seconds = ctx.section("hello")["job_interval_seconds"]
    return [ScheduledJob("hello.heartbeat", scheduled_jobs.heartbeat, "interval",
                         {"seconds": seconds})]


@hookimpl
def register_cli():
    return [cli.hello]


@hookimpl
def on_event(ctx, event):
    if isinstance(event, GreetingAdded):
        service.count_greeting(event.source)
