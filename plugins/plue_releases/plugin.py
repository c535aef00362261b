"""releases: Gitea's releases of git_hosting's repositories (a tag, notes, draft and
prerelease flags) and the files attached to them, served for download as Gitea serves them.
This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_releases import events, models
from plue_releases.resources import attachments, downloads, releases
from plue_releases.resources.common import REPO
from plue_releases.service import ReleasesService
from plue_releases.settings import ReleasesSettings

PLUE_NAME = "releases"
PLUE_REQUIRES = ("accounts", "attachments", "git_hosting")


@hookimpl
def register_settings():
    return [("releases", ReleasesSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("releases", ReleasesService(ctx))]


@hookimpl
def register_events():
    return events.EVENTS


@hookimpl
def register_routes(ctx):
    release = f"{REPO}/releases/{{release_id:id}}"
    attachment = attachments.AttachmentResource(ctx)
    return [
        Route(f"{REPO}/releases", releases.ReleasesResource(ctx)),
        Route(f"{REPO}/releases/latest", releases.LatestReleaseResource(ctx)),
        Route(f"{REPO}/releases/tags/{{tag:path}}", releases.ReleaseByTagResource(ctx)),
        Route(release, releases.ReleaseResource(ctx)),
        Route(f"{release}/assets", attachments.AttachmentsResource(ctx)),
        Route(f"{release}/assets/{{attachment_id:id}}", attachment),
        Route("/{owner}/{repo}/releases/download/{path:path}",
              downloads.ReleaseDownloadResource(ctx)),
    ]


@hookimpl
def on_event(ctx, event):
    if event.name == "push" and event.is_tag and event.deleted:
        ctx.services["releases"].tag_deleted(event.repository_id, event.ref[len("refs/tags/"):])
    elif event.name == "repository_deleted":
        ctx.services["releases"].repository_deleted(event.repository_id)


@hookimpl
def attachment_readable(ctx, identity, attachment):
    if attachment.release_id is None:
        return None
    return ctx.services["releases"].readable(identity, attachment)


@hookimpl
def tag_deletion_refusal(ctx, repository, tag):
    if ctx.services["releases"].has_release(repository.id, tag):
        return "a tag attached to a release cannot be deleted directly"  # Gitea's 409
    return None


@hookimpl(optionalhook=True)
def webhook_event_types():
    return ["release"]


@hookimpl(optionalhook=True)
def webhook_events(ctx, event):
    if event.name != "release":
        return None
    from plue_releases import webhooks  # the webhooks plugin's types, only when it asks
    return webhooks.release_events(ctx, event)
