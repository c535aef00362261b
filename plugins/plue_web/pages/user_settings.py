"""The signed-in user's own settings, at Gitea's paths: ``/user/settings`` (profile: full
name, e-mail, website, location, description) and ``/user/settings/keys`` (SSH keys: list,
add, delete). The password is ``/user/settings/account`` (the change-password form) and the
access tokens ``/user/settings/applications``. Changes are the accounts' own functions with
the API's validation (the admin edit's field rules; the key rules of ``POST /user/keys``)."""

from __future__ import annotations

import falcon

from plue_core.errors import Invalid

from plue_web.pages.base import Page, row_id

PROFILE_FIELDS = ("full_name", "email", "website", "location", "description")


class ProfilePage(Page):
    def show(self, req, resp, values: dict, *, status=falcon.HTTP_200, error="", done=False):
        self.render(req, resp, "user/settings_profile.html", status=status, values=values,
                    error=error, done=done, settings_tab="profile")

    def on_get(self, req, resp):
        self.require_signed_in(req)
        user = self.viewer(req)
        self.show(req, resp, {field: getattr(user, field) or "" for field in PROFILE_FIELDS})

    def on_post(self, req, resp):
        self.require_signed_in(req)
        user = self.viewer(req)
        form = self.form(req)
        values = {field: form.get(field, "").strip() for field in PROFILE_FIELDS}
        try:
            if not values["email"]:
                raise Invalid("email: an e-mail address is required")
            self.accounts.edit_user(user, values, only=PROFILE_FIELDS)
        except Invalid as invalid:
            return self.show(req, resp, values, status=falcon.HTTP_422, error=invalid.message)
        self.show(req, resp, values, done=True)


class KeysPage(Page):
    """``action``: ``add`` (``title``, ``content``) or ``delete`` (``id``)."""

    def show(self, req, resp, user, *, status=falcon.HTTP_200, error="", title="",
             content="") -> None:
        self.render(req, resp, "user/settings_keys.html", status=status,
                    keys=list(self.accounts.ssh_keys_of(user)), error=error, title=title,
                    content=content, settings_tab="keys")

    def on_get(self, req, resp):
        self.require_signed_in(req)
        self.show(req, resp, self.viewer(req))

    def on_post(self, req, resp):
        self.require_signed_in(req)
        user = self.viewer(req)
        form = self.form(req)
        action = form.get("action", "")
        if action == "delete":
            raw = form.get("id", "")
            self.accounts.delete_ssh_key(user, row_id(raw))
            raise falcon.HTTPSeeOther("/user/settings/keys")
        if action != "add":
            raise Invalid(f"action: must be add or delete; got {action!r}")
        title, content = form.get("title", ""), form.get("content", "")
        try:
            self.accounts.add_ssh_key(user, title=title, key=content)
        except Invalid as invalid:
            return self.show(req, resp, user, status=falcon.HTTP_422, error=invalid.message,
                             title=title, content=content)
        raise falcon.HTTPSeeOther("/user/settings/keys")
