"""A repository's releases (``/releases``, newest first, paged) and one release
(``/releases/tag/{tag}``: the page a release's ``html_url`` names). Everything goes through
``ctx.services["releases"]``: its access rule (404 for the unseen or with releases switched
off; drafts only for those who may publish them) and its Gitea ``Release`` body, which the
template shows as the API gives it."""

from __future__ import annotations

import datetime

from plue_core.identity import current_identity
from plue_core.pagination import Page as ListPage

from plue_web.pages.base import Paging
from plue_web.pages.repository import RepositoryPage


class ReleasesPage(RepositoryPage):
    @property
    def releases(self):
        return self.face.releases

    def shown(self, repository, body: dict) -> dict:
        """The API's body with what the page adds: the notes as HTML, the moment as a time."""
        moment = body.get("published_at") or body["created_at"]
        return {**body, "notes_html": self.face.markdown.render(
                    body["body"], repository_url=f"/{repository.owner.name}/{repository.name}"),
                "when": datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))}


class ReleaseListPage(ReleasesPage):
    def on_get(self, req, resp, owner, repo):
        identity = current_identity(req)
        access = self.releases.access(identity, owner, repo)
        page = self.page_number(req)
        releases, total = self.releases.list_releases(access, ListPage(page, self.page_size))
        repository = access.repository
        self.render(req, resp, "repo/releases.html", **self.common(
            req, repository, section="releases", single=False,
            releases=[self.shown(repository, body) for body in
                      self.releases.releases_json(repository, releases, identity)],
            paging=Paging(page, self.page_size, total)))


class ReleaseTagPage(ReleasesPage):
    def on_get(self, req, resp, owner, repo, tag):
        identity = current_identity(req)
        access = self.releases.access(identity, owner, repo)
        release = self.releases.by_tag(access, tag)
        repository = access.repository
        body = self.releases.release_json(repository, release, identity)
        self.render(req, resp, "repo/releases.html", **self.common(
            req, repository, section="releases", single=True,
            releases=[self.shown(repository, body)], paging=None))
