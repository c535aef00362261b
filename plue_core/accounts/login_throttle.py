"""Login throttling: one service in front of every password check (Basic auth on any route and
git over HTTP, Runner Pilot's ``/auth/login``, RunnerHub's ``/api/auth/login``).

Failures are counted under three keys, each with its own limit (docs/admin.md, "Login locks"):

* ``pair`` — one account from one client address (``login_max_failures``): the lock that
  stops a guesser without touching anyone else;
* ``address`` — every account from one address (``login_max_failures_per_address``): password
  spraying; the lock blocks that address only;
* ``account`` — one account from every address (``login_max_failures_per_account``, higher):
  a distributed guesser. This lock refuses only addresses that have failures of their own, so
  someone who knows a user name cannot lock the user out from everywhere (the "familiar
  location" rule of Microsoft's smart lockout and AD FS extranet lockout).

A lock lasts ``login_lock_seconds`` and doubles with each failure past the limit, up to
``login_max_lock_seconds``; attempts refused while locked are not counted, so hammering a
lock does not prolong it. Counts are forgotten ``login_window_seconds`` after the last failure.

Each attempt is counted as a failure *before* the password is checked, in one transaction
that locks the counter rows (``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on
PostgreSQL), so concurrent attempts from any number of workers and hosts never check more
passwords than the limit allows; a correct password then takes its attempt back.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import math

import peewee

from plue_core.accounts.models import LoginThrottle
from plue_core.db import CompiledSelect, is_sqlite, utcnow, write_transaction
from plue_core.errors import TooManyRequests

PAIR, ADDRESS, ACCOUNT = "pair", "address", "account"
SCOPES = (PAIR, ADDRESS, ACCOUNT)


@dataclasses.dataclass(frozen=True)
class Counter:
    key: str
    scope: str
    account: str | None
    address: str | None
    limit: int


@dataclasses.dataclass
class Attempt:
    """A password check counted as a failure until it proves otherwise: what it found and
    wrote as the address's lock, so that a correct password can put the lock back."""

    address_lock_before: datetime.datetime | None = None
    address_lock_set: datetime.datetime | None = None


def address_key(address: str | None) -> str:
    """The address as counted: IPv6 clients by their /64, since one host holds a whole /64."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "unknown")[:64]
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def counters(settings: dict, account: str, address: str | None) -> list[Counter]:
    """The three counters of an attempt, in key order (rows are always locked in that order,
    so two attempts never deadlock)."""
    where = address_key(address)
    found = [
        Counter(f"pair:{account}|{where}", PAIR, account, where, settings["login_max_failures"]),
        Counter(f"address:{where}", ADDRESS, None, where,
                settings["login_max_failures_per_address"]),
        Counter(f"account:{account}", ACCOUNT, account, None,
                settings["login_max_failures_per_account"]),
    ]
    return sorted(found, key=lambda counter: counter.key)


def _stale(row: LoginThrottle, settings: dict, now: datetime.datetime) -> bool:
    """A count whose last failure is older than the window and that holds no lock."""
    if row.locked_until is not None and row.locked_until > now:
        return False
    window = datetime.timedelta(seconds=settings["login_window_seconds"])
    return row.last_failure is None or row.last_failure <= now - window


def lock_seconds(settings: dict, failures: int, limit: int) -> int:
    """Exponential back-off: the first lock at the limit, doubled per further failure, capped."""
    doublings = min(failures - limit, 32)
    return min(settings["login_max_lock_seconds"], settings["login_lock_seconds"] * 2 ** doublings)


def _refuse(rows: dict[str, LoginThrottle], found: list[Counter], settings: dict,
            now: datetime.datetime) -> None:
    """429 when the pair or the address is locked, or the account is and this address has
    failed before."""
    by_scope = {counter.scope: rows.get(counter.key) for counter in found}

    def locked(scope: str) -> LoginThrottle | None:
        row = by_scope[scope]
        return row if row is not None and row.locked_until and row.locked_until > now else None

    address_row = by_scope[ADDRESS]
    address_failed = address_row is not None and address_row.failures > 0 \
        and not _stale(address_row, settings, now)
    reasons = ((PAIR, "for this account from your address"), (ADDRESS, "from your address"),
               (ACCOUNT, "for this account"))
    for scope, reason in reasons:
        row = locked(scope)
        if row is None or (scope == ACCOUNT and not address_failed):
            continue
        retry = max(1, math.ceil((row.locked_until - now).total_seconds()))
        raise TooManyRequests(f"too many failed logins {reason}; try again in {retry} seconds",
                              headers={"Retry-After": str(retry)})


# The read of every password login (a Basic request's too), compiled once: peewee built it
# on each request (issue 13). An attempt always has three counters (``counters``).
_THREE = CompiledSelect(
    lambda *keys: LoginThrottle.select().where(LoginThrottle.key.in_(list(keys))), str, str, str)


def _rows(found: list[Counter], *, for_update: bool) -> dict[str, LoginThrottle]:
    if not for_update:
        return {row.key: row for row in _THREE.rows(*(c.key for c in found))}
    query = LoginThrottle.select().where(LoginThrottle.key.in_([c.key for c in found]))
    if for_update and not is_sqlite(LoginThrottle._meta.database):
        query = query.order_by(LoginThrottle.key).for_update()
    return {row.key: row for row in query}


def keys_sql(account: peewee.Node, where: str) -> list[peewee.Node]:
    """The keys of ``counters`` as SQL, for the account named by a column and an address as
    ``address_key`` counts it: a read of the account can read its counters too (a Basic
    request's one statement fewer, issue 13)."""
    return [peewee.Value(f"{PAIR}:").concat(account).concat("|").concat(where),
            peewee.Value(f"{ADDRESS}:").concat(where),
            peewee.Value(f"{ACCOUNT}:").concat(account)]


def check(settings: dict, account: str, address: str | None,
          known: list[LoginThrottle] | None = None) -> tuple[list[Counter], bool]:
    """Raise 429 if a lock refuses this attempt; else the attempt's counters and whether the
    account has a failure streak to forget. A read without the write lock, so a flood of
    locked-out attempts costs one query each; none when ``known`` holds the counters just
    read with the account (``keys_sql``)."""
    found = counters(settings, account, address)
    if known is None:
        rows = _rows(found, for_update=False)
    else:
        keys = {c.key for c in found}
        rows = {row.key: row for row in known if row.key in keys}
    _refuse(rows, found, settings, utcnow())
    streak = any(c.key in rows for c in found if c.scope in (PAIR, ACCOUNT))
    return found, streak


def begin(settings: dict, found: list[Counter]) -> Attempt:
    """Count the attempt as a failure on every counter, atomically, or raise 429."""
    now = utcnow()
    attempt = Attempt()
    with write_transaction():
        for counter in found:  # the rows exist before they are locked, in key order
            (LoginThrottle.insert(key=counter.key, scope=counter.scope, account=counter.account,
                                  address=counter.address, failures=0)
             .on_conflict_ignore().execute())
        rows = _rows(found, for_update=True)
        _refuse(rows, found, settings, now)
        for counter in found:
            row = rows[counter.key]
            failures = 1 if _stale(row, settings, now) else row.failures + 1
            locked_until = row.locked_until
            if failures >= counter.limit:
                locked_until = now + datetime.timedelta(
                    seconds=lock_seconds(settings, failures, counter.limit))
            if counter.scope == ADDRESS:
                attempt.address_lock_before, attempt.address_lock_set = row.locked_until, locked_until
            (LoginThrottle.update(failures=failures, last_failure=now, locked_until=locked_until)
             .where(LoginThrottle.key == counter.key).execute())
    return attempt


def succeed(found: list[Counter], attempt: Attempt | None = None) -> None:
    """A correct password: the account's streaks (its own and from this address) end; the
    address keeps its other failures (a guesser must not clear them by logging in to an
    account of its own) and gets back only this attempt."""
    account_keys = [c.key for c in found if c.scope in (PAIR, ACCOUNT)]
    address_counter = next(c for c in found if c.scope == ADDRESS)
    with write_transaction():
        LoginThrottle.delete().where(LoginThrottle.key.in_(account_keys)).execute()
        if attempt is None:
            return
        (LoginThrottle.update(failures=LoginThrottle.failures - 1)
         .where((LoginThrottle.key == address_counter.key) & (LoginThrottle.failures > 0))
         .execute())
        if attempt.address_lock_set != attempt.address_lock_before:
            (LoginThrottle.update(locked_until=attempt.address_lock_before)
             .where((LoginThrottle.key == address_counter.key)
                    & (LoginThrottle.locked_until == attempt.address_lock_set)).execute())


# --- what administrators see and clear ------------------------------------------------------


def _matching(account: str | None, address: str | None) -> list[peewee.Expression]:
    conditions = []
    if account:
        conditions.append(LoginThrottle.account == account.lower())
    if address:
        conditions.append(LoginThrottle.address == address_key(address))
    return conditions


def list_counts(settings: dict, *, account: str | None = None, address: str | None = None,
                locked_only: bool = False) -> peewee.ModelSelect:
    """Counters that still matter (locked, or failed within the window), locks first."""
    now = utcnow()
    window_start = now - datetime.timedelta(seconds=settings["login_window_seconds"])
    live = (LoginThrottle.locked_until > now) | (
        (LoginThrottle.failures > 0) & (LoginThrottle.last_failure > window_start))
    if locked_only:
        live = LoginThrottle.locked_until > now
    return (LoginThrottle.select().where(live, *_matching(account, address))
            .order_by(LoginThrottle.locked_until.desc(nulls="LAST"), LoginThrottle.key))


def clear(*, account: str | None = None, address: str | None = None) -> int:
    """Forget the counts (and so the locks) of an account, an address, both, or of everyone
    when neither is given; the number of counters removed."""
    query = LoginThrottle.delete()
    conditions = _matching(account, address)
    return (query.where(*conditions) if conditions else query).execute()


def forget_stale(settings: dict) -> int:
    """Remove counters past their window (the scheduled cleanup)."""
    now = utcnow()
    window_start = now - datetime.timedelta(seconds=settings["login_window_seconds"])
    return LoginThrottle.delete().where(
        ((LoginThrottle.locked_until.is_null()) | (LoginThrottle.locked_until <= now))
        & ((LoginThrottle.last_failure.is_null()) | (LoginThrottle.last_failure <= window_start))
    ).execute()


def describe(row: LoginThrottle, now: datetime.datetime | None = None) -> dict:
    """The admin API's and CLI's shape of a counter."""
    now = now or utcnow()
    locked = row.locked_until is not None and row.locked_until > now
    return {"scope": row.scope, "user": row.account, "address": row.address,
            "failures": row.failures, "last_failure": row.last_failure,
            "locked": locked, "locked_until": row.locked_until if locked else None,
            "retry_after": max(1, math.ceil((row.locked_until - now).total_seconds()))
            if locked else 0}
