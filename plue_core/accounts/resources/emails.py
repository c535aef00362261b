"""Gitea's e-mail addresses: ``/user/emails`` (the caller's own) and ``/admin/emails[/search]``
(every user's, for site administrators)."""

from __future__ import annotations

import falcon

from plue_core.accounts import emails, users
from plue_core.accounts.resources.common import AccountsResource
from plue_core.accounts.schemas.emails import EMAIL_SHAPE, CreateEmailOption, DeleteEmailOption
from plue_core.identity import require_admin, require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body


class CurrentUserEmailsResource(AccountsResource):
    def _mine(self, req, access: str):
        # Read whole: a token's narrow account has no ``lower_email``.
        return users.find_account_by_id(require_identity(req, scope=(access, "user")).user_id)

    def _respond(self, req, resp, account) -> None:
        resp.media = EMAIL_SHAPE.many(emails.addresses_of(account), self.site_view)

    @operation("List the authenticated user's email addresses", response=EMAIL_SHAPE, many=True,
               tags=("user",), operation_id="userListEmails")
    def on_get(self, req, resp):
        self._respond(req, resp, self._mine(req, "read"))

    @operation("Add email addresses", request=CreateEmailOption, response=EMAIL_SHAPE,
               many=True, status=201, tags=("user",), operation_id="userAddEmail")
    def on_post(self, req, resp):
        account = self._mine(req, "write")
        emails.add_addresses(account, load_body(req, CreateEmailOption)["emails"])
        resp.status = falcon.HTTP_201
        self._respond(req, resp, account)

    @operation("Delete email addresses", request=DeleteEmailOption, status=204, tags=("user",),
               operation_id="userDeleteEmail")
    def on_delete(self, req, resp):
        account = self._mine(req, "write")
        addresses = load_body(req, DeleteEmailOption)["emails"]
        if addresses:
            emails.delete_addresses(account, addresses)
        resp.status = falcon.HTTP_204


class AdminEmailsResource(AccountsResource):
    def _respond(self, req, resp, q: str) -> None:
        require_admin(req)
        rows = self.page(req, resp, emails.search(q))
        resp.media = EMAIL_SHAPE.many([emails.shown(row) for row in rows], self.site_view)


class AdminAllEmailsResource(AdminEmailsResource):
    @operation("List all emails", response=EMAIL_SHAPE, many=True, tags=("admin",),
               query=("page", "limit"), operation_id="adminGetAllEmails")
    def on_get(self, req, resp):
        self._respond(req, resp, "")


class AdminSearchEmailsResource(AdminEmailsResource):
    @operation("Search all emails", response=EMAIL_SHAPE, many=True, tags=("admin",),
               query=("q", "page", "limit"), operation_id="adminSearchEmails")
    def on_get(self, req, resp):
        self._respond(req, resp, req.get_param("q") or "")
