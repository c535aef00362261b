"""An organization's pages: ``/{org}/-/settings`` (its profile and visibility; owners and
site administrators only), ``/{org}/-/teams`` (the teams a member may list, with their
members; owners add teams) and ``/{org}/-/members`` (the members the viewer may see; owners
remove them). Gitea's ``/org/{org}/...`` is the Runner Pilot API's family here (seed 002), so
the pages live under the organization's own address (``-`` is no repository name). An organization the viewer may not see, and the pages
they may not use, are 404s. Changes are the accounts' own functions with the API's rules."""

from __future__ import annotations

import falcon

from plue_core.accounts.models import VISIBILITIES
from plue_core.errors import Invalid, NotFound
from plue_core.identity import current_identity

from plue_web.pages.base import Page, row_id

ORG_FIELDS = ("full_name", "email", "description", "website", "location", "visibility")


class OrgPage(Page):
    tab = ""

    def find_org(self, req, name: str):
        """The organization when the viewer may see it (404 otherwise), and whether they own
        it (site administrators do)."""
        identity = current_identity(req)
        org = self.accounts.find_account(name)
        if org is None or not org.is_organization \
                or not self.accounts.can_see_account(identity, org):
            raise NotFound(f"organization {name!r} does not exist")
        owner = identity is not None and (identity.is_admin or self.accounts.is_org_owner(org, identity.user_id))
        return org, owner

    def require_owner(self, req, name: str):
        self.require_signed_in(req)
        org, owner = self.find_org(req, name)
        if not owner:
            raise NotFound(f"organization {name!r} has no settings you may see")
        return org

    def show(self, req, resp, template: str, org, owner: bool, **values) -> None:
        self.render(req, resp, template, org=org, is_owner=owner, org_tab=self.tab,
                    error=values.pop("error", ""), **values)


class OrgSettingsPage(OrgPage):
    tab = "settings"

    def on_get(self, req, resp, owner):
        account = self.require_owner(req, owner)
        self.show(req, resp, "org/settings.html", account, True, visibilities=VISIBILITIES,
                  values={field: getattr(account, field) or "" for field in ORG_FIELDS},
                  done=False)

    def on_post(self, req, resp, owner):
        account = self.require_owner(req, owner)
        form = self.form(req)
        values = {field: form.get(field, "").strip() for field in ORG_FIELDS}
        try:
            self.accounts.edit_org(account, values)
        except Invalid as invalid:
            return self.show(req, resp, "org/settings.html", account, True,
                             status=falcon.HTTP_422, error=invalid.message,
                             visibilities=VISIBILITIES, values=values, done=False)
        self.show(req, resp, "org/settings.html", account, True, visibilities=VISIBILITIES,
                  values=values, done=True)


class OrgTeamsPage(OrgPage):
    """Members (and site administrators) list the teams; owners add one (``name``,
    ``description``, ``permission``), and add or remove a team's member (``action``
    ``add_member`` / ``remove_member``, ``team``: its id, ``name``: the user)."""

    tab = "teams"

    def listing(self, req, org):
        identity = self.require_signed_in(req)
        if not (identity.is_admin or self.accounts.is_org_member(org, identity.user_id)):
            raise NotFound(f"organization {org.name!r} shows its teams to its members only")
        rows = list(self.accounts.teams_of_org(org, identity))
        members = self.accounts.members_of_teams([team.id for team in rows])
        return [{"team": team, "members": members[team.id]} for team in rows]

    def on_get(self, req, resp, owner):
        self.require_signed_in(req)
        account, is_owner = self.find_org(req, owner)
        self.show(req, resp, "org/teams.html", account, is_owner, teams=self.listing(req, account),
                  permissions=self.accounts.team_permissions, name="", description="")

    def on_post(self, req, resp, owner):
        account = self.require_owner(req, owner)
        form = self.form(req)
        action = form.get("action", "create")
        if action in ("add_member", "remove_member"):
            return self.change_member(req, resp, account, form, adding=action == "add_member")
        if action != "create":
            raise Invalid(f"action: must be create, add_member or remove_member; got {action!r}")
        name, description = form.get("name", "").strip(), form.get("description", "").strip()
        try:
            self.accounts.create_team(account, name=name, description=description,
                              permission=form.get("permission") or "read")
        except Invalid as invalid:
            return self.show(req, resp, "org/teams.html", account, True, status=falcon.HTTP_422,
                             error=invalid.message, teams=self.listing(req, account),
                             permissions=self.accounts.team_permissions, name=name,
                             description=description)
        raise falcon.HTTPSeeOther(f"/{account.name}/-/teams")

    def change_member(self, req, resp, org, form: dict, *, adding: bool):
        raw = form.get("team", "")
        team = self.accounts.get_team(row_id(raw))
        if team.org_id != org.id:
            raise NotFound(f"team {raw} does not exist in {org.name}")
        login = form.get("name", "").strip()
        user = self.accounts.find_user(login)
        try:
            if user is None:
                raise Invalid(f"name: user {login!r} does not exist")
            if adding:
                self.accounts.add_team_member(team, user)
            else:
                self.accounts.remove_team_member(team, user)  # never the last owner
        except Invalid as invalid:
            return self.show(req, resp, "org/teams.html", org, True, status=falcon.HTTP_422,
                             error=invalid.message, teams=self.listing(req, org),
                             permissions=self.accounts.team_permissions, name="", description="")
        raise falcon.HTTPSeeOther(f"/{org.name}/-/teams")


class OrgMembersPage(OrgPage):
    """The members the viewer may see (all for members, the public ones for others);
    owners remove one (``name``; never the last owner)."""

    tab = "members"

    def on_get(self, req, resp, owner):
        account, is_owner = self.find_org(req, owner)
        members = list(self.accounts.org_members_seen_by(current_identity(req), account).limit(500))
        self.show(req, resp, "org/members.html", account, is_owner, members=members)

    def on_post(self, req, resp, owner):
        account = self.require_owner(req, owner)
        user = self.accounts.find_user(self.form(req).get("name", ""))
        if user is None or not self.accounts.is_org_member(account, user.id):
            raise NotFound(f"{self.form(req).get('name', '')!r} is not a member of {account.name}")
        self.accounts.remove_org_member(account, user)
        raise falcon.HTTPSeeOther(f"/{account.name}/-/members")
