"""security: image vulnerability scans (Docker + a local OSV database), secret scans of text
and job logs, the security status. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route
from plue_security import models, resources
from plue_security.settings import SecuritySettings

PLUE_NAME = "security"
PLUE_REQUIRES = ("accounts",)


@hookimpl
def register_settings():
    return [("security", SecuritySettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_routes(ctx):
    return [
        Route("/api/security/scan", resources.ImageScanResource(ctx)),
        Route("/api/security/scans", resources.ImageScansResource(ctx)),
        Route("/api/security/secret-scan", resources.SecretScanResource(ctx)),
        Route("/api/security/status", resources.SecurityStatusResource(ctx)),
    ]
