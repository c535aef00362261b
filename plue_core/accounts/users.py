"""User accounts: creation, lookup, password login with throttling, access tokens."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re

import peewee

from plue_core.accounts import credentials, login_throttle, visibility
from plue_core.accounts.models import (
    USER, VISIBILITIES, AccessToken, Account, EmailAddress, LoginThrottle, SignedInAccount,
)
from plue_core.constraints import unique_write
from plue_core.db import CompiledSelect, utcnow
from plue_core.errors import Invalid, InvalidArgument, NotFound
from plue_core.identity import SCOPE_AREAS
from plue_core.integers import is_digits

# Names that would shadow a URL family or a Gitea route; never a user or org name.
RESERVED_NAMES = frozenset({
    "api", "auth", "org", "orgs", "common", "onboarding", "user", "users", "admin", "assets",
    "health", "metrics", "explore", "repo", "repos", "login", "logout", "signup", "settings",
    "swagger", "swagger.v1.json", "static", "avatars", "attachments", "-", "new", "notifications",
    "issues", "pulls", "milestones", "help", "install", "plugins", "ghost", "robots.txt",
    "favicon.ico", ".well-known", "v1", "v2", "ws", "docs", "debug", "action", "actions",
})
# RunnerHub roles; a site administrator is always "admin" there.
ROLES = ("admin", "operator", "viewer")
log = logging.getLogger("plue.accounts")
_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def is_reserved(name: str) -> bool:
    """A name no account may take: a URL family, a Gitea route, or a git/keys path suffix."""
    lowered = name.lower()
    return lowered in RESERVED_NAMES or lowered.endswith((".git", ".keys", ".gpg"))


def is_valid_name_syntax(name: str) -> bool:
    """1-40 letters, digits, '-', '_' or '.', starting and ending with a letter or digit."""
    return isinstance(name, str) and bool(_NAME.match(name)) and ".." not in name


def validate_name(name: str, what: str = "username") -> str:
    if not is_valid_name_syntax(name):
        raise Invalid(f"{what} {name!r} is invalid: use 1-40 letters, digits, '-', '_' or '.', "
                      "starting and ending with a letter or digit")
    if is_reserved(name):
        raise Invalid(f"{what} {name!r} is reserved")
    return name


def validate_email(email: str) -> str:
    if not isinstance(email, str) or not _EMAIL.match(email) or len(email) > 255:
        raise Invalid(f"email {email!r} is not a valid e-mail address")
    return email


def email_holders(email: str) -> set[int]:
    """The accounts ``email`` belongs to, as their primary address or a further one, compared
    without case: one at most, since every write of an address asks here first."""
    lowered = email.lower()
    holders = {row.id for row in Account.select(Account.id).where(Account.lower_email == lowered)}
    return holders | {row.account_id for row in EmailAddress.select(EmailAddress.account)
                      .where(EmailAddress.lower_email == lowered)}


def ensure_email_free(email: str, message: str, *, account_id: int | None = None) -> None:
    """422 ``message`` when ``email`` is another account's (any account's when ``account_id``
    is None): the one rule sign-up, an administrator's edit and ``POST /user/emails`` share."""
    if email_holders(email) - {account_id}:
        raise Invalid(message)


def validate_choice(field: str, value, allowed: tuple[str, ...]):
    if value not in allowed:
        raise Invalid(f"{field}: must be one of {', '.join(allowed)}; got {value!r}")
    return value


def ensure_name_free(name: str) -> None:
    if Account.select().where(Account.lower_name == name.lower()).exists():
        raise Invalid(f"user or organization {name!r} already exists")


def create_user(settings: dict, *, username: str, email: str, password: str, full_name: str = "",
                is_admin: bool = False, must_change_password: bool = False,
                visibility: str = "public", role: str | None = None,
                restricted: bool = False, first_user_is_admin: bool = False,
                created_at: datetime.datetime | None = None) -> Account:
    """Create a user; ``first_user_is_admin`` makes the very first account of an instance its
    administrator (self-registration on a new instance, as Gitea's installer does)."""
    validate_name(username)
    validate_email(email)
    validate_choice("visibility", visibility, VISIBILITIES)
    if role is not None:
        validate_choice("role", role, ROLES)
    password_hash = _checked_password_hash(settings, password)
    with unique_write(f"user {username!r} or e-mail {email!r} already exists"):
        ensure_name_free(username)
        ensure_email_free(email, f"e-mail address {email!r} is already used")
        if first_user_is_admin and not Account.select().where(Account.type == USER).exists():
            is_admin = True
        return Account.create(
            name=username, lower_name=username.lower(), type=USER, full_name=full_name or "",
            email=email, lower_email=email.lower(), password_hash=password_hash,
            is_admin=is_admin, must_change_password=must_change_password,
            visibility=visibility, restricted=restricted,
            role=role or ("admin" if is_admin else "viewer"),
            allow_create_organization=settings.get("allow_create_organization", True),
            **({"created_at": created_at} if created_at else {}))


_USER_BY_NAME = CompiledSelect(
    lambda name: Account.select().where((Account.lower_name == name) & (Account.type == USER))
    .limit(1), str)
_ACCOUNT_BY_NAME = CompiledSelect(
    lambda name: Account.select().where(Account.lower_name == name).limit(1), str)
_ACCOUNT_BY_ID = CompiledSelect(lambda id_: Account.select().where(Account.id == id_).limit(1), int)
def _login_id(login):
    """The user a login names, by name or e-mail (a subquery)."""
    named = Account.alias()
    return named.select(named.id).where(
        ((named.lower_name == login) | (named.lower_email == login)) & (named.type == USER)).limit(1)


# A password login's account with its login-lock counters (``login_throttle.keys_sql``), in
# one statement: an outer join, so the account comes with none, one or each of its three.
_LOGIN_WITH_COUNTERS = CompiledSelect(
    lambda login, address: Account.select(Account, LoginThrottle).join(
        LoginThrottle, peewee.JOIN.LEFT_OUTER, attr="login_counter",
        on=LoginThrottle.key.in_(login_throttle.keys_sql(Account.lower_name, address)))
    .where(Account.id == _login_id(login)), str, str)
# Every request with a token: the token by its hash, with its account, in one statement; the
# account as ``SignedInAccount`` reads it (never the password hash).
_TOKEN_BY_HASH = CompiledSelect(
    lambda digest: AccessToken.select(AccessToken, SignedInAccount)
    .join(SignedInAccount, on=AccessToken.user == SignedInAccount.id, attr="user")
    .where(AccessToken.token_hash == digest).limit(1), str)


def find_user(name: str) -> Account | None:
    return _USER_BY_NAME.first((name or "").lower())


def find_account_by_id(account_id: int) -> Account | None:
    """The account with this id (the caller of a JWT or of an identity), or ``None``."""
    return _ACCOUNT_BY_ID.first(account_id) if 0 < account_id < 2 ** 63 else None


def get_user(name: str) -> Account:
    """The user called ``name``, else 404 (Gitea's "user ... does not exist")."""
    user = find_user(name)
    if user is None:
        raise NotFound(f"user {name!r} does not exist")
    return user


def get_visible_user(identity, name: str, *, organizations_too: bool = False) -> Account:
    """The user (or, with ``organizations_too``, any account) called ``name`` if ``identity``
    may see it (visibility.can_see); else the same 404 as a user that does not exist, so a
    private account's existence is not revealed."""
    user = (find_account if organizations_too else find_user)(name)
    if user is None or not visibility.can_see(identity, user):
        raise NotFound(f"user {name!r} does not exist")
    return user


def find_account(name: str) -> Account | None:
    """A user or an organization by name (the owner part of a repository path)."""
    return _ACCOUNT_BY_NAME.first((name or "").lower())


def _checked_password_hash(settings: dict, password: str) -> str:
    """The bcrypt hash of ``password`` once it is long enough (422 otherwise)."""
    if len(password or "") < settings["min_password_length"]:
        raise Invalid(f"password must be at least {settings['min_password_length']} characters")
    if len(password.encode()) > credentials.MAX_PASSWORD_BYTES:
        raise Invalid(f"password must be at most {credentials.MAX_PASSWORD_BYTES} bytes "
                      "(bcrypt reads no further)")
    return credentials.hash_password(password, settings["bcrypt_rounds"])


def set_password(settings: dict, user: Account, password: str) -> None:
    user.password_hash = _checked_password_hash(settings, password)


# --- password login, throttled ----------------------------------------------------------------


def throttle_account_key(login: str, user: Account | None) -> str:
    """The account a login names, as the throttle counts it: the user's name (so guessing by
    name and by e-mail add up), else the login itself (a digest when too long to store)."""
    if user is not None:
        return user.lower_name
    lowered = (login or "").lower()
    if len(lowered) > 200:
        return "sha256:" + hashlib.sha256(lowered.encode()).hexdigest()
    return lowered


def login_with_password(settings: dict, checker: credentials.PasswordChecker, login: str,
                        password: str, address: str | None) -> Account | None:
    """The user whose name or e-mail is ``login`` and whose password matches, else ``None``.
    Raises 429 (with Retry-After) while a login lock refuses ``address`` (login_throttle.py)."""
    lowered = (login or "").lower()
    if "\0" in lowered:  # names no account (PostgreSQL cannot even compare it): nothing to throttle
        return None
    rows = _LOGIN_WITH_COUNTERS.rows(lowered, login_throttle.address_key(address))
    user = rows[0] if rows else None
    password = password or ""
    with checker.one_at_a_time(password, user.password_hash if user is not None else None) as waited:
        # The counters read with the account are as fresh as a request that came a statement
        # sooner; after waiting for another check of this credential, they are read again.
        known = None if user is None or waited else [
            row.login_counter for row in rows if row.login_counter is not None]
        found, streak = login_throttle.check(settings, throttle_account_key(login, user), address,
                                             known)
        if user is not None and checker.remembers(password, user.password_hash):
            # Proven correct before: no bcrypt, so nothing to count (git sends it on every
            # request). The locks were read above: a remembered password is no way around them.
            if streak:
                login_throttle.succeed(found)
        else:
            attempt = login_throttle.begin(settings, found)
            if user is None or not checker.check(password, user.password_hash):
                # One line per failure, with the client address, for fail2ban and audits.
                log.warning("failed password login for %r from %s", lowered[:200], address)
                return None
            login_throttle.succeed(found, attempt)
    if not user.active or user.prohibit_login:
        return None
    return user


def touch_last_login(user: Account) -> None:
    Account.update(last_login=utcnow()).where(Account.id == user.id).execute()


# --- access tokens ---------------------------------------------------------------------------

_VALID_SCOPES = {"all"} | {f"{access}:{area}" for access in ("read", "write") for area in SCOPE_AREAS}


def normalise_scopes(scopes: list[str] | None) -> list[str]:
    """Gitea requires at least one scope; unknown ones are rejected by name."""
    scopes = [s.strip() for s in (scopes or []) if s and s.strip()]
    if not scopes:
        raise InvalidArgument("access token must have a scope: e.g. [\"write:repository\", "
                           "\"read:user\"] or [\"all\"]")
    unknown = [s for s in scopes if s not in _VALID_SCOPES]
    if unknown:
        raise InvalidArgument(f"invalid access token scope(s): {', '.join(unknown)}")
    return sorted(set(scopes))


MAX_TOKEN_NAME = 255  # AccessToken.name's width


def create_access_token(user: Account, name: str, scopes: list[str]) -> tuple[AccessToken, str]:
    """Returns the row and the token itself, which is never stored and never shown again."""
    if not name or not name.strip():
        raise Invalid("access token name is required")
    if len(name) > MAX_TOKEN_NAME:
        raise Invalid(f"access token name must be at most {MAX_TOKEN_NAME} characters")
    scopes = normalise_scopes(scopes)
    token = credentials.new_access_token()
    with unique_write(f"access token name {name!r} has been used already", error=InvalidArgument):
        if AccessToken.select().where((AccessToken.user == user) & (AccessToken.name == name)).exists():
            raise InvalidArgument(f"access token name {name!r} has been used already")
        row = AccessToken.create(user=user, name=name, token_hash=credentials.token_digest(token),
                                 token_last_eight=token[-8:], scopes=",".join(scopes))
    return row, token


def access_tokens_of(user: Account):
    """The user's access tokens, oldest first."""
    return AccessToken.select().where(AccessToken.user == user).order_by(AccessToken.id)


def delete_access_token(user: Account, token: str) -> None:
    """Delete the user's token named ``token`` or, when it is a number, with that id; 404 when
    none matches, 422 when a name and an id both match (delete by id then)."""
    query = AccessToken.select().where(AccessToken.user == user)
    if is_digits(token) and int(token) < 2 ** 63:  # a longer number is only a name
        query = query.where((AccessToken.id == int(token)) | (AccessToken.name == token))
    else:
        query = query.where(AccessToken.name == token)
    rows = list(query)
    if not rows:
        raise NotFound(f"access token {token!r} does not exist")
    if len(rows) > 1:
        raise Invalid("multiple tokens match; delete by id")
    rows[0].delete_instance()


def search_users(identity, *, q: str = "", uid: int | None = None):
    """Gitea's ``/users/search``: users (never organizations) whose name contains ``q``, or
    the one with id ``uid``, among those ``identity`` may see; by id."""
    query = Account.select().where(Account.type == USER).order_by(Account.id)
    if q := q.strip().lower():
        query = query.where(Account.lower_name.contains(q) | Account.full_name.contains(q))
    if uid:
        query = query.where(Account.id == uid)
    if identity is None:
        query = query.where(Account.visibility == "public")
    elif not identity.is_admin:
        condition = (Account.visibility == "public") | (Account.id == identity.user_id)
        if not visibility.viewer_is_restricted(identity):
            condition |= (Account.visibility == "limited") | Account.id.in_(
                visibility.co_member_ids(identity.user_id))
        query = query.where(condition)
    return query


def find_access_token(token: str) -> AccessToken | None:
    row = _TOKEN_BY_HASH.first(credentials.token_digest(token))
    if row is not None:
        now = utcnow()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            AccessToken.update(last_used_at=now).where(AccessToken.id == row.id).execute()
    return row
