"""The site's front pages: ``/`` (your repositories, or explore when signed out),
``/explore/repos`` (search) and ``/{owner}`` (a user's or organization's repositories)."""

from __future__ import annotations

import falcon

from plue_core.errors import NotFound
from plue_core.identity import current_identity

from plue_web.pages import dashboard
from plue_web.pages.base import Page, Paging


class RepositoryListPage(Page):
    def list_page(self, req, resp, template: str, *, extra: dict | None = None,
                  **filters) -> None:
        """A page of repositories matching ``filters``; ``extra``: more for the template."""
        page = self.page_number(req)
        rows, total = self.hosting.list_repositories(
            current_identity(req), offset=(page - 1) * self.page_size, limit=self.page_size,
            **filters)
        values = {key: value for key, value in filters.items() if key != "mine"}
        self.render(req, resp, template, repositories=rows,
                    paging=Paging(page, self.page_size, total), **values, **(extra or {}))


class HomePage(RepositoryListPage):
    def on_get(self, req, resp):
        if current_identity(req) is None:
            return self.list_page(req, resp, "explore.html", text="")
        self.list_page(req, resp, "home.html", mine=True,
                       extra=dashboard.dashboard_values(self.face, current_identity(req)))


class ExplorePage(RepositoryListPage):
    def on_get(self, req, resp):
        self.list_page(req, resp, "explore.html", text=(req.get_param("q") or "")[:100])


class OwnerPage(RepositoryListPage):
    def on_get(self, req, resp, owner):
        account = self.accounts.find_account(owner)
        if account is None or not self.accounts.can_see_account(current_identity(req), account):
            raise NotFound(f"user or organization {owner!r} does not exist")
        if account.name != owner:  # one address per owner, spelled as they spell it
            raise falcon.HTTPMovedPermanently(f"/{account.name}")
        members = list(self.accounts.org_members_seen_by(current_identity(req), account)
                       .limit(100)) if account.is_organization else []
        self.list_page(req, resp, "owner.html", owner=account, extra={"members": members})


class AssetPage:
    """The stylesheet and the script, from the package; no user content, no session."""

    def __init__(self, face):
        self.face = face

    def on_get(self, req, resp, name):
        if name not in self.face.assets:
            raise NotFound(f"no asset {name!r}")
        text, content_type = self.face.assets[name]
        resp.content_type = content_type
        resp.cache_control = ["public", "max-age=3600"]
        resp.text = text
