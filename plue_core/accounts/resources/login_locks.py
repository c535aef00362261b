"""``/api/v1/admin/login_locks`` (a Plue addition beside Gitea's ``/admin/*``): administrators
see the login throttling counters and clear them. Site administrators only (403 otherwise)."""

from __future__ import annotations

import falcon

from plue_core.accounts import login_throttle
from plue_core.accounts.resources.common import AccountsResource
from plue_core.accounts.schemas.login_locks import LOGIN_LOCK_SHAPE
from plue_core.client_address import parse_address
from plue_core.db import utcnow
from plue_core.errors import Invalid
from plue_core.identity import require_admin
from plue_core.openapi import operation


def _filters(req) -> dict:
    """``user`` and ``address`` from the query; an address must be an IP address (422)."""
    address = req.get_param("address") or None
    if address is not None and parse_address(address) is None:
        raise Invalid(f"address: {address!r} is not an IP address")
    return {"account": req.get_param("user") or None, "address": address}


class LoginLocksResource(AccountsResource):
    @operation("List login throttling counters and locks", response=LOGIN_LOCK_SHAPE, many=True,
               tags=("admin",), query=("user", "address", "locked", "page", "limit"),
               operation_id="adminListLoginLocks")
    def on_get(self, req, resp):
        require_admin(req)
        query = login_throttle.list_counts(self.settings, **_filters(req),
                                           locked_only=req.get_param_as_bool("locked") or False)
        now = utcnow()
        resp.media = LOGIN_LOCK_SHAPE.many(
            [login_throttle.describe(row, now) for row in self.page(req, resp, query)])

    @operation("Clear login throttling counters and locks (of a user, an address, or all)",
               status=204, tags=("admin",), query=("user", "address"),
               operation_id="adminClearLoginLocks")
    def on_delete(self, req, resp):
        require_admin(req)
        login_throttle.clear(**_filters(req))
        resp.status = falcon.HTTP_204
