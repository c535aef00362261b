"""``ctx.services["ssh"]``: what other plugins (git_hosting's repository shape) ask of the SSH
face: the ``ssh_url`` of a repository, as Gitea composes it."""

from __future__ import annotations

import urllib.parse

from plue_ssh.settings import split_bind


class SshService:
    def __init__(self, ctx):
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
