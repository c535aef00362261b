"""attachments: the one store of files attached to releases, issues and comments, and their
download at ``/attachments/{uuid}``. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.attachments import hookspecs, models
from plue_core.attachments.resources import AttachmentDownloadResource
from plue_core.attachments.service import AttachmentsService
from plue_core.attachments.settings import AttachmentSettings
from plue_core.routing import Route

PLUE_NAME = "attachments"


@hookimpl
def add_hookspecs(plugin_manager):
    plugin_manager.add_hookspecs(hookspecs)


@hookimpl
def register_settings():
    return [("attachment", AttachmentSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("attachments", AttachmentsService(ctx))]


@hookimpl
def register_routes(ctx):
    return [Route("/attachments/{uuid}", AttachmentDownloadResource(ctx))]


@hookimpl
def on_event(ctx, event):
    if event.name == "repository_deleted":  # in the deleting transaction
        ctx.services["attachments"].delete_of(repository_id=event.repository_id)
