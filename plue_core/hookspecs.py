"""Every hook a Plue plugin can implement: the plugin author's table of contents.

Hooks are always called with keyword arguments. Collect-hooks return lists; the core merges
them by name and refuses duplicates (routes, tables, job ids, CLI commands, events) with a
startup error naming both plugins. ``ctx`` is the app's :class:`plue_core.context.PlueContext`.

Lifecycle, in the order ``create_app`` calls them::

    add_hookspecs (historic) -> register_settings -> register_models -> register_migrations
    -> register_services -> register_events -> register_routes
    -> register_websocket_endpoints -> register_jobs -> startup
    -> register_middleware (create_app only)
    ... requests: authenticate, on_event ...
    shutdown (when the host stops)

``register_cli`` is called by the ``plue`` command before any app exists; ``register_daemons``
only by ``plue daemons``, after the context is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # imports for annotations only: nothing is loaded at import time
    import click
    import falcon
    import marshmallow
    import peewee

    from plue_core.context import PlueContext
    from plue_core.daemons import Daemon
    from plue_core.events import Event
    from plue_core.identity import Identity
    from plue_core.routing import Route
    from plue_core.scheduler import ScheduledJob
    from plue_core.websockets import WebSocketEndpoint

hookspec = pluggy.HookspecMarker("plue")


# --- Extending Plue itself -------------------------------------------------------------------


@hookspec(historic=True)
def add_hookspecs(plugin_manager: pluggy.PluginManager) -> None:
    """Add a plugin's own hook specifications so other plugins can implement them.

    Historic: a plugin registered later still sees the call. Implement it as
    ``plugin_manager.add_hookspecs(my_hookspecs_module)``.
    """


# --- Configuration and schema ----------------------------------------------------------------


@hookspec
def register_settings() -> list[tuple[str, type[marshmallow.Schema]]]:
    """Return ``[(section, Schema)]``: the config sections this plugin owns.

    Fires first in ``create_app``. The core validates ``[section]`` of the TOML config (and the
    matching ``PLUE_<SECTION>__<KEY>`` environment variables) with the schema; unknown keys and
    bad values are startup errors naming the key. The loaded values are in
    ``ctx.config.section(name)``.
    """


@hookspec
def register_models() -> list[type[peewee.Model]]:
    """Return the Peewee models (subclasses of ``plue_core.db.BaseModel``) this plugin owns.

    Two plugins declaring the same table is a startup error. Tables are created by migrations,
    never by ``create_tables`` at runtime.
    """


@hookspec
def register_migrations() -> list[tuple[str, str]]:
    """Return ``[(plugin_name, directory)]``: folders of numbered migration scripts.

    Each ``NNNN_description.py`` defines ``up(migrator, db)`` (a ``playhouse.migrate``
    migrator and the bound database). ``plue migrate`` applies pending scripts in order, each in
    its own transaction, and records them in the core ``plue_migration`` table.
    """


@hookspec
def register_services(ctx: PlueContext) -> list[tuple[str, Any]]:
    """Return ``[(name, service)]``: objects other plugins may use via ``ctx.services[name]``.

    Fires before ``register_routes`` so resources can take services in their constructors.
    This is how plugins talk without importing each other's internals (e.g. git_hosting asks
    ``ctx.services["accounts"]`` who owns a repository).
    """


@hookspec
def register_events() -> list[type[Event]]:
    """Return the event classes this plugin publishes (subclasses of ``plue_core.events.Event``).

    Publishing an event whose name no enabled plugin registered is a programming error.
    """


# --- HTTP ------------------------------------------------------------------------------------


@hookspec
def register_routes(ctx: PlueContext) -> list[Route]:
    """Return ``[Route(path, resource)]`` (and ``Sink(prefix, handler)``) for the Falcon app.

    Build resources with the context (``UserResource(ctx)``); never keep globals. A path
    declared by two plugins is a startup error. Responders may carry
    ``@plue_core.openapi.operation(...)`` metadata so they appear in ``/api/openapi.json``.
    A ``Sink`` owns every path under its prefix and may stream (git smart HTTP does).
    """


@hookspec
def register_middleware(ctx: PlueContext) -> list[Any]:
    """Return Falcon middleware objects to add to the app, after the core's own.

    Fires in ``create_app`` only (never for the CLI or the scheduler), after ``startup``.
    The core's middleware runs first, so ``process_request`` sees ``req.context.request_id``,
    an open database connection and ``req.context.identity``; ``process_response`` runs
    before the connection is closed. Plugins are added in dependency order.
    """


@hookspec
def health_metrics(ctx: PlueContext) -> dict[str, Any]:
    """Return figures for the ``metrics`` section of ``GET /health`` (RunnerHub's health
    document), e.g. ``{"active_jobs": 5}``; every plugin's dict is merged in.

    Called on every health check, which load balancers poll: keep it to a few cheap queries.
    An exception here turns the health status ``degraded`` (still 200), never a 500.
    """


@hookspec
def register_websocket_endpoints(ctx: PlueContext) -> list[WebSocketEndpoint]:
    """Return ``[WebSocketEndpoint(path, open)]``: the WebSocket paths this plugin serves.

    Plue's gunicorn worker hands a WebSocket handshake to one of these paths to the plugin's
    handler (``open(ctx)``, made once per worker process) on its asyncio loop, beside the
    ordinary requests on the same port; a handshake to any other path stays an ordinary HTTP
    request. Collected in ``build_context``; a path declared by two plugins is a startup error.
    The handler's protocol is in ``plue_core.websockets``; authenticate with
    ``handshake_identity`` and limit connections with ``ConnectionSlots`` from there.
    """


@hookspec(firstresult=True)
def authenticate(ctx: PlueContext, req: falcon.Request) -> Identity | None:
    """Resolve the credentials of a request to an :class:`~plue_core.identity.Identity`.

    Fires once per request, before the responder. Return ``None`` when the request carries no
    credentials this plugin understands; raise ``plue_core.errors.Unauthorized`` when it
    carries wrong ones. The first non-``None`` answer wins.
    """


# --- Background work -------------------------------------------------------------------------


@hookspec
def register_jobs(ctx: PlueContext) -> list[ScheduledJob]:
    """Return ``ScheduledJob(id, func, trigger, trigger_args)`` items, run by APScheduler.

    Jobs run only in the scheduler process (never once per gunicorn worker), each run under a
    database lease so two schedulers never run the same job at once. ``func(ctx)`` must be
    idempotent. Two plugins using the same job id is a startup error.
    """


@hookspec
def register_daemons(ctx: PlueContext) -> list[Daemon]:
    """Return long-running services, ``Daemon(name, run, description)``, e.g. a listener.

    They run only in the one ``plue daemons`` process that ``plue serve`` starts beside the
    gunicorn workers (never once per worker), each in its own thread: ``run(ctx, stopping)``
    serves until the ``threading.Event`` ``stopping`` is set, then returns. Called when that
    process starts, not by ``create_app``. Two plugins using the same name is a startup error.
    """


@hookspec
def on_event(ctx: PlueContext, event: Event) -> None:
    """React to an event published with ``ctx.events.publish(event)``.

    Runs synchronously inside the publisher's transaction: durable work (queueing a workflow
    run) written here commits or rolls back with its cause. Keep it short; queue long work.
    """


# --- Command line ----------------------------------------------------------------------------


@hookspec
def register_cli() -> list[click.Command]:
    """Return click commands or groups added to the ``plue`` command.

    Called before any app exists; a command gets the app context lazily with
    ``plue_core.cli.pass_context``. Two plugins adding the same command name is an error.
    """


# --- Lifecycle -------------------------------------------------------------------------------


@hookspec
def startup(ctx: PlueContext) -> None:
    """Fires once at the end of ``create_app``, after routes and jobs are collected."""


@hookspec
def shutdown(ctx: PlueContext) -> None:
    """Fires when the host stops the app (``ctx.close()``); release what ``startup`` took."""
