"""Gitea's ``GET /repos/{owner}/{repo}/languages``: bytes of code per language."""

from __future__ import annotations

from plue_core.openapi import operation

from plue_git_hosting.resources.common import GitHostingResource


class LanguagesResource(GitHostingResource):
    @operation("Get languages and number of bytes of code written", tags=("repository",),
               operation_id="repoGetLanguages")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        resp.media = self.hosting.languages(repository)
