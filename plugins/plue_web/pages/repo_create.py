"""``/repo/create``, Gitea's "New Repository" form: the owner (the signed-in user or an
organization that lets them create repositories), ``repo_name``, ``description``,
``private``, ``auto_init`` (a README on the default branch) and ``default_branch``; created
through ``ctx.services["git_hosting"].create_repository`` -- the API's rules and answers (a
422 naming the field, 409 for a taken name, 403 for an owner that does not let them) -- then
to the new repository's page."""

from __future__ import annotations

import falcon

from plue_core.errors import Conflict, Forbidden, Invalid, NotFound

from plue_web.pages.base import Page


def _checked(form: dict, name: str) -> bool:
    return form.get(name) not in (None, "", "0", "off")


class NewRepositoryPage(Page):
    def show(self, req, resp, identity, *, values: dict, error: str = "",
             status=falcon.HTTP_200) -> None:
        self.render(req, resp, "repo/create.html", status=status, error=error, values=values,
                    owners=self.hosting.repository_owners_for(identity))

    def on_get(self, req, resp):
        identity = self.require_signed_in(req)
        self.show(req, resp, identity, values={
            "owner": req.get_param("owner") or "", "repo_name": "", "description": "",
            "private": False, "auto_init": True, "default_branch": ""})

    def on_post(self, req, resp):
        identity = self.require_signed_in(req)
        form = self.form(req)
        values = {"owner": form.get("owner", ""), "repo_name": form.get("repo_name", "").strip(),
                  "description": form.get("description", ""),
                  "private": _checked(form, "private"), "auto_init": _checked(form, "auto_init"),
                  "default_branch": form.get("default_branch", "").strip()}
        options = {"name": values["repo_name"], "description": values["description"],
                   "private": values["private"], "auto_init": values["auto_init"]}
        if values["default_branch"]:
            options["default_branch"] = values["default_branch"]
        try:
            owner = self.accounts.find_account(values["owner"]) if values["owner"] else \
                self.accounts.account_for(identity)
            if owner is None or not self.accounts.can_see_account(identity, owner):
                raise Invalid(f"owner: there is no user or organization {values['owner']!r}")
            repository = self.hosting.create_repository(identity, owner, options)
        except (Invalid, Conflict, Forbidden, NotFound) as refused:
            return self.show(req, resp, identity, values=values, error=refused.message,
                             status=falcon.code_to_http_status(refused.status))
        raise falcon.HTTPSeeOther(f"/{repository.owner.name}/{repository.name}")
