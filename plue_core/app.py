"""``create_app(config)`` wires everything and returns a ``falcon.App``; nothing happens at
import time. ``build_context`` is the same wiring without HTTP (CLI, scheduler host)."""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any, Iterable

import falcon

from plue_core import error_responses, integers, middleware, request_json, timestamps
from plue_core.config import Config, ensure_secret_key, load_config, peek_secret_key
from plue_core.context import PlueContext
from plue_core.db import database, open_database
from plue_core.events import EventBus
from plue_core.plugins import DEFAULT_PLUGINS, PluginHost, own_version, build_plugin_manager
from plue_core.private_files import private_directory
from plue_core.routing import Route, Sink

log = logging.getLogger("plue.app")


class PlueApp(falcon.App):
    """A ``falcon.App`` that carries its :class:`PlueContext` as ``app.plue``."""

    plue: PlueContext


def build_context(config: Config | None = None, *, plugins: Iterable[Any] = (),
                  inspect_only: bool = False) -> PlueContext:
    """Load plugins, validate config, bind the database, collect models, events, routes, jobs.

    ``inspect_only`` builds the same context without creating anything on disk (no data dir,
    no secret key file, no SQLite file): for commands that only describe the configuration,
    which must not leave a ``var/`` behind when run from the wrong directory."""
    config = config if config is not None else load_config()
    logging.basicConfig(level=config.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config.report_deprecations(lambda notice: log.warning("deprecated: %s", notice))
    if inspect_only:
        peek_secret_key(config)
    else:
        private_directory(config.data_path)
        ensure_secret_key(config)
    pm = build_plugin_manager(config.plugins, plugins)
    host = PluginHost(pm)

    blocked = {name for name, _ in DEFAULT_PLUGINS if pm.is_blocked(name)}
    blocked |= set(config.plugins.get("disabled", ()))
    schemas = {section: item[1] for section, (_, item) in host.settings_schemas().items()}
    config.validate_sections(schemas, tolerated=blocked)

    db = open_database(config.database_url, pool_size=config.database_pool_size,
                       create=not inspect_only,
                       prepare_statements=config.database_prepared_statements)
    database.initialize(db)
    ctx = PlueContext(config=config, plugins=host, db=db, version=own_version())
    ctx.models = {table: (plugin, model) for table, (plugin, model) in host.models().items()}
    ctx.services = {name: service for name, (_, (_, service)) in host.services(ctx).items()}
    ctx.events = EventBus(ctx, {name: cls for name, (_, cls) in host.events().items()})
    ctx.routes = [(plugin, route) for _, (plugin, route) in host.routes(ctx).items()]
    ctx.websocket_endpoints = host.websocket_endpoints(ctx)
    jobs = host.jobs(ctx)
    ctx.jobs = {job_id: job for job_id, (_, job) in jobs.items()}
    ctx.job_plugins = {job_id: plugin for job_id, (plugin, _) in jobs.items()}
    pm.hook.startup(ctx=ctx)
    return ctx


# What a browser page on an allowed origin may read: Gitea's pagination, and the headers seed 002
# says every RunnerHub answer carries (rate limits, API-Version) with the request id its errors name.
EXPOSED_HEADERS = ["Link", "X-Total-Count", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                   "X-RateLimit-Reset", "Retry-After", "API-Version", "X-Request-Id"]


def create_app(config: Config | None = None, *, plugins: Iterable[Any] = ()) -> PlueApp:
    """The WSGI app (a ``falcon.App``). ``plugins`` are extra plugin objects from an embedding host."""
    ctx = build_context(config, plugins=plugins)
    cors = ctx.config.cors_origins
    app = PlueApp(
        middleware=[
            middleware.RequestIdMiddleware(),
            middleware.FamilyHeadersMiddleware(),
            middleware.DatabaseMiddleware(ctx.db, without_database=frozenset({"/health"})),
            middleware.AuthenticationMiddleware(ctx),
            middleware.BodyLimitMiddleware(ctx.config.max_body_size),
            middleware.NulCharacterMiddleware(),
        ],
        cors_enable=False,
        request_type=integers.PlueRequest,
    )
    # Plugins' middleware after the core's: identity and the DB connection are there already.
    for component in ctx.plugins.middleware(ctx):
        app.add_middleware(component)
    if cors:
        app.add_middleware(falcon.CORSMiddleware(allow_origins=cors if cors != ["*"] else "*",
                                                 expose_headers=EXPOSED_HEADERS))
    app.req_options.strip_url_path_trailing_slash = True
    app.req_options.auto_parse_qs_csv = False
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = _json_handler()
    app.req_options.media_handlers[falcon.MEDIA_JSON] = falcon.media.JSONHandler(
        loads=request_json.loads)
    error_responses.install(app)
    integers.install(app)  # before the routes: Falcon compiles converters when a route is added
    items = [item for _, item in ctx.routes]
    last_route = max((i for i, item in enumerate(items) if isinstance(item, Route)), default=-1)
    for i, item in enumerate(items):
        if isinstance(item, Sink):
            app.add_sink(item.handler, item.prefix)
        elif isinstance(item, Route):
            # The router is compiled with its last route, not by a process's first request: the
            # preloading gunicorn master compiles it once for every worker (compiling holds
            # ≈ 5 MB a moment; docs/serving.md, Memory).
            app.add_route(item.path, item.resource, compile=i == last_route,
                          **({"suffix": item.suffix} if item.suffix else {}))
    app.plue = ctx  # the embedding host and tests reach the context here
    return app


def _json_handler() -> falcon.media.JSONHandler:
    """One JSON encoder: datetimes as RFC 3339 in UTC with a Z, to the second, as Gitea and the
    seeds write them (``plue_core.timestamps``)."""
    def default(value):
        if isinstance(value, datetime.datetime):
            return timestamps.rfc3339(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    # One encoder for every body: json.dumps with a ``default`` builds a new one per call.
    # Its settings are json.dumps' own, so the bytes are the same.
    return falcon.media.JSONHandler(dumps=json.JSONEncoder(default=default).encode)
