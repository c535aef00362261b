"""CSRF tokens: every form (and every state-changing request) carries a token derived with
the instance's secret key from something only this browser has — its session cookie, or
before sign-in a random ``plue_csrf`` cookie. Another site can make the browser send the
cookie but can neither read it nor compute the token."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from plue_core.errors import Forbidden

ANONYMOUS_COOKIE = "plue_csrf"
FIELD = "_csrf"
HEADER = "X-CSRF-Token"


def token_for(secret_key: str, seed: str) -> str:
    return hmac.new(secret_key.encode(), b"csrf:" + seed.encode(), hashlib.sha256).hexdigest()


def new_seed() -> str:
    return secrets.token_urlsafe(24)


def check(secret_key: str, seed: str | None, sent: str | None) -> None:
    """403 unless ``sent`` is the token of ``seed``."""
    if not seed or not sent or not hmac.compare_digest(token_for(secret_key, seed), sent):
        raise Forbidden("the form has expired or did not come from this site (CSRF token "
                        "missing or wrong): reload the page and try again")
