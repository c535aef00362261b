"""ssh: git over SSH (one asyncssh listener in the ``plue daemons`` process), deploy keys
(Gitea's ``/repos/{owner}/{repo}/keys``) and ``ssh_url``. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.daemons import Daemon
from plue_core.routing import Route

from plue_ssh import deploy_keys, models, resources
from plue_ssh.service import SshService
from plue_ssh.settings import SshSettings

PLUE_NAME = "ssh"
PLUE_REQUIRES = ("accounts", "git_hosting")
REPO = "/api/v1/repos/{owner}/{repo}"


@hookimpl
def register_settings():
    return [("ssh", SshSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("ssh", SshService(ctx))]


@hookimpl
def register_routes(ctx):
    return [
        Route(f"{REPO}/keys", resources.DeployKeysResource(ctx)),
        Route(f"{REPO}/keys/{{key_id:id}}", resources.DeployKeyResource(ctx)),
    ]


@hookimpl
def register_daemons(ctx):
    from plue_ssh import server  # asyncssh is loaded by the daemons process only
    return [Daemon("ssh", server.run, "git over SSH (ssh.bind)")]


@hookimpl
def register_cli():
    from plue_ssh.cli import ssh
    return [ssh]


@hookimpl
def on_event(ctx, event):
    if event.name == "repository_deleted":
        deploy_keys.delete_keys_of(event.repository_id)


@hookimpl
def ssh_key_in_use(ctx, fingerprint):
    return "it is a deploy key" if deploy_keys.is_deploy_key(fingerprint) else None
