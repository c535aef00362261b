"""Meta: version, API settings, health, the plugin list, the OpenAPI document and Gitea's
markdown rendering operations."""

from plue_core import hookimpl
from plue_core.meta import markup, resources
from plue_core.routing import Route
from plue_core.scheduler import PRUNE_JOB_RUNS

PLUE_NAME = "meta"


@hookimpl
def register_routes(ctx):
    docs = resources.SwaggerUIResource(ctx)
    spec = resources.OpenAPIResource(ctx)
    routes = []
    if "web" in ctx.services:  # the renderer is the web pages' own
        rendering = markup.Markup(ctx)
        routes += [Route("/api/v1/markdown", markup.MarkdownResource(rendering)),
                   Route("/api/v1/markdown/raw", markup.MarkdownRawResource(rendering)),
                   Route("/api/v1/markup", markup.MarkupResource(rendering))]
    return routes + [
        Route("/api/v1/version", resources.VersionResource(ctx)),
        Route("/api/v1/settings/api", resources.APISettingsResource(ctx)),
        Route("/health", resources.HealthResource(ctx)),
        Route("/-/plugins", resources.PluginListResource(ctx)),
        Route("/api/openapi.json", spec),
        Route("/swagger.v1.json", spec, suffix="gitea"),
        Route("/api/docs", docs),
        Route("/api/swagger", docs, suffix="gitea"),
        Route("/api/docs/assets/{filename}", docs, suffix="asset"),
    ]


@hookimpl
def register_jobs(ctx):
    return [PRUNE_JOB_RUNS]
