"""The ``authenticate`` hook: every credential form Gitea clients, git and the seeds send.

* ``Authorization: token <t>`` and ``Authorization: Bearer <t>`` (access token or JWT)
* ``Authorization: Basic`` with a password or an access token as the password
* ``?token=`` / ``?access_token=`` (Gitea's deprecated query forms, kept for old clients)
"""

from __future__ import annotations

import base64
import binascii

from plue_core.accounts import credentials, ssh_keys, users
from plue_core.accounts.models import USER, Account
from plue_core.errors import Unauthorized
from plue_core.identity import Identity

_BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="plue"'}


def _identity(user: Account, *, method: str, scopes: frozenset[str] | None = None) -> Identity:
    return Identity(user_id=user.id, username=user.name, is_admin=user.is_admin, scopes=scopes,
                    method=method, role="admin" if user.is_admin else user.role, account=user)


def _usable(user: Account | None) -> bool:
    return user is not None and user.type == USER and user.active and not user.prohibit_login


def _token_identity(row) -> Identity:
    """The identity an access token row stands for, limited to the token's scopes."""
    return _identity(row.user, method="token",
                     scopes=frozenset(s for s in row.scopes.split(",") if s))


def _from_token(token: str) -> Identity:
    row = users.find_access_token(token)
    if row is None or not _usable(row.user):
        raise Unauthorized("invalid access token", headers=_BASIC_CHALLENGE)
    return _token_identity(row)


def _from_jwt(secret_key: str, token: str) -> Identity:
    import jwt  # with the first JWT (credentials.issue_jwt says why)

    try:
        claims = credentials.decode_jwt(secret_key, token)
    except jwt.ExpiredSignatureError:
        raise Unauthorized("token expired: log in again") from None
    except jwt.InvalidTokenError as exc:
        raise Unauthorized(f"invalid token: {exc}") from None
    user = users.find_account_by_id(int(claims["sub"]))
    if not _usable(user):
        raise Unauthorized("invalid token: the account no longer exists or is disabled")
    return _identity(user, method="jwt")


def _from_basic(service, req, encoded: str) -> Identity:
    try:
        login, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized("malformed Basic credentials", headers=_BASIC_CHALLENGE) from None
    if secret in ("", "x-oauth-basic") and credentials.looks_like_access_token(login):
        # Gitea (and GitHub) clients may send the token as the user name.
        return _from_token(login)
    if credentials.looks_like_access_token(secret):
        row = users.find_access_token(secret)
        if row is not None and _usable(row.user) and (
                row.user.lower_name == login.lower() or login.lower() in ("", "oauth2", "x-access-token")):
            return _token_identity(row)
    user = service.login_with_password(req, login, secret)
    if user is None:
        raise Unauthorized("user name or password is incorrect", headers=_BASIC_CHALLENGE)
    return _identity(user, method="password")


def identity_for_ssh_key(fingerprint: str):
    """``(key, identity)`` for a user's SSH key with this fingerprint ("SHA256:..."), looked
    up by its unique index, when the account may log in (not disabled, not prohibited from
    login); None otherwise. The key's last use is recorded."""
    key = ssh_keys.find_key_by_fingerprint(fingerprint)
    if key is None or not _usable(key.user):
        return None
    ssh_keys.mark_used(key)
    return key, _identity(key.user, method="ssh")


def authenticate_request(service, req) -> Identity | None:
    header = req.get_header("Authorization") or ""
    scheme, _, value = header.partition(" ")
    scheme, value = scheme.lower(), value.strip()
    if header:
        if scheme == "token" and value:
            return _from_token(value)
        if scheme == "bearer" and value:
            if value.count(".") == 2:
                return _from_jwt(service.secret_key, value)
            return _from_token(value)
        if scheme == "basic" and value:
            return _from_basic(service, req, value)
        raise Unauthorized("unsupported Authorization header: use 'token <t>', 'Bearer <t>' "
                           "or 'Basic <base64>'", headers=_BASIC_CHALLENGE)
    query_token = req.get_param("token") or req.get_param("access_token")
    if query_token:
        return _from_token(query_token)
    return None
