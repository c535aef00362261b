"""Thin resources for the meta endpoints."""

from __future__ import annotations

import datetime
import mimetypes
import pathlib
import time

import falcon
import swagger_ui_bundle

from plue_core.errors import NotFound
from plue_core.meta import health
from plue_core.openapi import build_spec, operation
from plue_core.shapes import Shape, integer, item, string

_STARTED = time.monotonic()


SERVER_VERSION_SHAPE = Shape("ServerVersion", [string("version", item("version"))])

GENERAL_API_SETTINGS_SHAPE = Shape("GeneralAPISettings", [
    integer(name, item(name)) for name in (
        "max_response_items", "default_paging_num", "default_git_trees_per_page",
        "default_max_blob_size", "default_max_response_size")])


class VersionResource:
    def __init__(self, ctx):
        self.ctx = ctx

    @operation("Returns the version of the running server", response=SERVER_VERSION_SHAPE,
               tags=("miscellaneous",), operation_id="getVersion")
    def on_get(self, req, resp):
        resp.media = SERVER_VERSION_SHAPE({"version": self.ctx.version})


class APISettingsResource:
    def __init__(self, ctx):
        self.ctx = ctx

    @operation("Get instance's global settings for api", response=GENERAL_API_SETTINGS_SHAPE,
               tags=("settings",), operation_id="getGeneralAPISettings")
    def on_get(self, req, resp):
        paging = self.ctx.config.pagination
        resp.media = GENERAL_API_SETTINGS_SHAPE({
            "max_response_items": paging["max_limit"],
            "default_paging_num": paging["default_limit"],
            "default_git_trees_per_page": 1000,
            "default_max_blob_size": 10 * 1024 * 1024,
            "default_max_response_size": 50 * 1024 * 1024,
        })


class HealthResource:
    """RunnerHub's health document (plue_core/meta/health.py); 503 when ``unhealthy``."""

    def __init__(self, ctx):
        self.ctx = ctx

    def on_get(self, req, resp):
        report = health.check(self.ctx)
        resp.status = falcon.HTTP_503 if report["status"] == "unhealthy" else falcon.HTTP_200
        resp.media = {
            "status": report["status"],
            "timestamp": datetime.datetime.now(datetime.timezone.utc),
            "version": self.ctx.version,
            "uptime": int(time.monotonic() - _STARTED),
            "services": report["services"],
            "metrics": report["metrics"],
        }


class PluginListResource:
    def __init__(self, ctx):
        self.ctx = ctx

    def on_get(self, req, resp):
        resp.media = self.ctx.describe_plugins()


class OpenAPIResource:
    def __init__(self, ctx):
        self.ctx = ctx

    def on_get(self, req, resp):
        document = build_spec(self.ctx)
        if req.root_path:  # mounted under a prefix: "try it out" must call through it
            document["servers"] = [{"url": req.root_path}]
        resp.media = document

    on_get_gitea = on_get


_ASSETS = pathlib.Path(swagger_ui_bundle.swagger_ui_path)
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} API</title>
<link rel="stylesheet" href="{root}/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{root}/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="{root}/api/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="{root}/api/docs/assets/plue-init.js"></script>
</body></html>"""
_INIT = """window.onload = function () {{
  window.ui = SwaggerUIBundle({{url: "{root}/api/openapi.json", dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"}});
}};"""


class SwaggerUIResource:
    """Swagger UI served from the ``swagger-ui-bundle`` package: works with no network. Paths
    start at ``req.root_path`` so the page also works where Plue is mounted under a prefix."""

    def __init__(self, ctx):
        self.ctx = ctx

    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_HTML
        resp.text = _PAGE.format(title=self.ctx.config.site_name, root=req.root_path)

    on_get_gitea = on_get

    def on_get_asset(self, req, resp, filename):
        if filename == "plue-init.js":
            resp.content_type = "application/javascript"
            resp.text = _INIT.format(root=req.root_path)
            return
        path = _ASSETS / filename
        if "/" in filename or filename.startswith(".") or not path.is_file():
            raise NotFound(f"no documentation asset named {filename!r}")
        resp.content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        resp.data = path.read_bytes()
        resp.cache_control = ["public", "max-age=86400"]
