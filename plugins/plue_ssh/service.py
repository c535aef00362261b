"""``ctx.services["ssh"]``: what other plugins ask of the SSH face: the ``ssh_url`` of a
repository, as Gitea composes it (git_hosting's repository shape), and a repository's deploy
keys for the web's settings page (the API's rules, ``deploy_keys``)."""

from __future__ import annotations

import urllib.parse

from plue_core.db import write_transaction

from plue_ssh import deploy_keys
from plue_ssh.settings import split_bind


class SshService:
    """``deploy_keys_of(repository_id)``: a repository's deploy keys, oldest first (the
    caller checks the repository's admin access first, as for the methods below)."""

    deploy_keys_of = staticmethod(deploy_keys.keys_of)

    def __init__(self, ctx):
        self.ctx = ctx
        settings = ctx.section("ssh")
        self.user = settings["user"]
        self.domain = settings["domain"] or urllib.parse.urlsplit(ctx.config.base_url).hostname
        self.port = settings["port"] or split_bind(settings["bind"])[1]

    def clone_url(self, owner_name: str, repo_name: str) -> str:
        """``git@host:owner/repo.git`` on port 22, else ``ssh://git@host:port/owner/repo.git``
        (Gitea's ComposeSSHCloneURL)."""
        owner = urllib.parse.quote(owner_name, safe="")
        repo = urllib.parse.quote(repo_name, safe="")
        host = f"[{self.domain}]" if ":" in self.domain else self.domain  # an IPv6 address
        if self.port != 22:
            return f"ssh://{self.user}@{host}:{self.port}/{owner}/{repo}.git"
        return f"{self.user}@{host}:{owner}/{repo}.git"

    def add_deploy_key(self, repository_id: int, added_by_id: int, *, title: str, key: str,
                       read_only: bool = True):
        """The API's ``CreateKeyOption`` rules (Gitea's 422s: a user's key, one already here,
        a title taken)."""
        with write_transaction():
            return deploy_keys.add_key(self.ctx.services["accounts"], repository_id, added_by_id, title=title,
                                       key=key, read_only=read_only)

    def delete_deploy_key(self, repository_id: int, key_id: int) -> None:
        """404 when the repository has no such key."""
        with write_transaction():
            deploy_keys.delete_key(repository_id, key_id)
