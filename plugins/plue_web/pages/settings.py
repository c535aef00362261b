"""A user's access tokens: ``/user/settings/applications`` lists them (never their value),
creates one — its value shown once, on the answer to the form — and revokes one. The tokens
are the accounts' own (the accounts service's ``create_access_token``), the same as the API's
``/users/{name}/tokens``."""

from __future__ import annotations

import falcon

from plue_core.accounts.models import AccessToken
from plue_core.errors import Invalid, NotFound
from plue_core.identity import SCOPE_AREAS

from plue_web.pages.base import Page, row_id

SCOPES = ["all"] + [f"{access}:{area}" for area in SCOPE_AREAS for access in ("read", "write")]


class ApplicationsPage(Page):
    def tokens(self, user) -> list:
        return list(self.accounts.access_tokens_of(user))

    def show(self, req, resp, user, *, status=falcon.HTTP_200, new_token: str = "",
             error: str = "", name: str = "", chosen=()) -> None:
        self.render(req, resp, "user/applications.html", status=status, tokens=self.tokens(user),
                    scopes=SCOPES, new_token=new_token, error=error, name=name,
                    chosen=set(chosen))

    def on_get(self, req, resp):
        self.require_signed_in(req)
        self.show(req, resp, self.viewer(req))

    def on_post(self, req, resp):
        self.require_signed_in(req)
        user = self.viewer(req)
        form = self.form(req)
        if form.get("action") == "delete":
            raw = form.get("id", "")
            deleted = AccessToken.delete().where(
                (AccessToken.user == user.id)
                & (AccessToken.id == row_id(raw))
            ).execute()
            if not deleted:
                raise NotFound(f"you have no access token {raw!r}")
            raise falcon.HTTPSeeOther("/user/settings/applications")
        chosen = [scope for scope in SCOPES if form.get(f"scope_{scope}")]
        try:
            _, token = self.accounts.create_access_token(user, form.get("name", "").strip(), chosen)
        except Invalid as invalid:
            return self.show(req, resp, user, status=falcon.HTTP_422, error=invalid.message,
                             name=form.get("name", ""), chosen=chosen)
        # Shown in this answer only: it is stored as a digest and never rendered again.
        resp.cache_control = ["no-store"]
        self.show(req, resp, user, status=falcon.HTTP_201, new_token=token)
