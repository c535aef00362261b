"""``ctx.services["tracked_repos"]``: the settings and the provider clients, built once per app."""

from __future__ import annotations

import functools

from plue_core.sealing import SecretBox

from plue_tracked_repos.providers import (
    GitHubClient,
    GitLabClient,
    ProviderClient,
)


class TrackedReposService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("tracked_repos")
        # GitLab webhook tokens at rest (tracked_repository.webhook_token).
        self.webhook_tokens = SecretBox(ctx.secret_key, salt=b"plue-tracked-repos",
                                        purpose=b"tracked repositories gitlab webhook tokens v1")

    # The HTTP session (and requests with it) is made by the first sync, not when the app is
    # built: most processes never call a provider (docs/serving.md, Memory).
    @functools.cached_property
    def session(self):
        import requests

        session = requests.Session()
        # Proxies and netrc from the environment must not re-route or add credentials.
        session.trust_env = False
        return session

    @functools.cached_property
    def clients(self) -> dict[str, ProviderClient]:
        timeout = self.settings["request_timeout"]
        return {
            "github": GitHubClient(self.session, timeout, api_url=self.settings["github_api_url"],
                                   token=self.settings["github_token"]),
            "gitlab": GitLabClient(self.session, timeout, api_url=self.settings["gitlab_api_url"],
                                   token=self.settings["gitlab_token"]),
        }

    def client(self, provider: str) -> ProviderClient:
        return self.clients[provider]

    def close(self) -> None:
        if "session" in self.__dict__:  # made only by a sync
            self.session.close()
