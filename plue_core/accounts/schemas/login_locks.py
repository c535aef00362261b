"""Plue's ``LoginLock``: a login throttling counter as administrators see it."""

from __future__ import annotations

from plue_core.accounts.schemas.common import gitea_time
from plue_core.shapes import Shape, boolean, integer, item, string, time


# Rendered from ``login_throttle.describe(row)``, a dict.
LOGIN_LOCK_SHAPE = Shape("LoginLock", [
    string("scope", item("scope"), description="pair (user from address), address or account"),
    string("user", item("user"), nullable=True, description="the login name counted"),
    string("address", item("address"), nullable=True,
           description="client address (IPv6: its /64)"),
    integer("failures", item("failures")),
    time("last_failure", lambda lock, _: gitea_time(lock["last_failure"])),
    boolean("locked", item("locked")),
    time("locked_until", lambda lock, _: gitea_time(lock["locked_until"]),
         description="zero time when not locked"),
    integer("retry_after", item("retry_after"),
            description="seconds until the lock ends; 0 if none"),
])
