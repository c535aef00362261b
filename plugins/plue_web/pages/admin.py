"""Site administration at Gitea's ``/-/admin`` paths — the dashboard (counts and the plugins
enabled), ``/-/admin/users`` and ``/-/admin/orgs`` — for site administrators only: anyone
else signed in gets a 404 (the pages do not exist for them), anyone signed out the sign-in
page. The lists are the accounts' own queries (the admin API's user search)."""

from __future__ import annotations

from plue_core.accounts.models import VISIBILITIES
from plue_core.errors import NotFound

from plue_web.pages.base import Page, Paging


class AdminPage(Page):
    tab = ""

    def require_admin(self, req):
        identity = self.require_signed_in(req)
        if not identity.is_admin:
            raise NotFound("Not Found")
        return identity

    def show(self, req, resp, template: str, **values) -> None:
        self.render(req, resp, template, admin_tab=self.tab, **values)

    def paged(self, req, query):
        page = self.page_number(req)
        total = query.count()
        rows = list(query.offset((page - 1) * self.page_size).limit(self.page_size))
        return rows, Paging(page, self.page_size, total)


class AdminDashboardPage(AdminPage):
    tab = "dashboard"

    def on_get(self, req, resp):
        identity = self.require_admin(req)
        _, repositories = self.hosting.list_repositories(identity, offset=0, limit=1)
        self.show(req, resp, "admin/dashboard.html",
                  plugins=self.face.ctx.plugins.describe(),
                  user_count=self.accounts.search_all_users().count(),
                  org_count=self.accounts.all_orgs(VISIBILITIES).count(), repository_count=repositories)


class AdminUsersPage(AdminPage):
    """``?q=`` searches names, full names and e-mail addresses (the admin API's search)."""

    tab = "users"

    def on_get(self, req, resp):
        self.require_admin(req)
        text = (req.get_param("q") or "").strip()[:100]
        rows, paging = self.paged(req, self.accounts.search_all_users(q=text))
        self.show(req, resp, "admin/users.html", users=rows, paging=paging, text=text)


class AdminOrgsPage(AdminPage):
    tab = "orgs"

    def on_get(self, req, resp):
        self.require_admin(req)
        rows, paging = self.paged(req, self.accounts.all_orgs(VISIBILITIES))
        self.show(req, resp, "admin/orgs.html", orgs=rows, paging=paging)
