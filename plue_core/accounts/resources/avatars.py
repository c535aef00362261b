"""``GET /avatars/{digest}``: the picture every ``avatar_url`` names (accounts/avatars.py)."""

from __future__ import annotations

from plue_core.accounts.avatars import DIGEST, identicon_png
from plue_core.errors import NotFound


class AvatarResource:
    def __init__(self, ctx):
        self.ctx = ctx

    def on_get(self, req, resp, digest):
        if not DIGEST.fullmatch(digest):
            raise NotFound(f"no avatar {digest!r}: an avatar is named by 32 hexadecimal digits")
        resp.content_type = "image/png"
        resp.cache_control = ["public", "max-age=86400"]
        resp.data = identicon_png(digest)
