"""Login throttling: failures counted per (account, address), per address and per account,
each lock touching only what it names; exponential back-off; the client address behind
trusted proxies; access tokens unaffected; administrators see and clear locks."""

from __future__ import annotations

import contextlib
import datetime

import pytest

from plue_core.accounts.models import LoginThrottle
from plue_core.db import utcnow
from plue_core.testing import DEFAULT_PASSWORD, basic_auth, make_user, token_auth

LIMITS = {"login_max_failures": 3, "login_max_failures_per_address": 6,
          "login_max_failures_per_account": 8, "login_lock_seconds": 60,
          "login_max_lock_seconds": 600}


@pytest.fixture
def throttled(app_with_plugins):
    app, client = app_with_plugins(accounts=LIMITS)
    make_user(app.plue, "alice")
    make_user(app.plue, "bob")
    make_user(app.plue, "root", admin=True)
    return client


def _basic(client, who, password, ip="10.0.0.1", **headers):
    return client.simulate_get("/api/v1/user", headers={**basic_auth(who, password), **headers},
                               remote_addr=ip)


def _fail(client, who, times, ip="10.0.0.1", **headers):
    for _ in range(times):
        assert _basic(client, who, "wrong", ip, **headers).status_code == 401


def _about(seconds: int, expected: int) -> bool:
    """A lock's remaining time, read a moment (a slow machine: a few seconds) after it began."""
    return expected - 5 <= int(seconds) <= expected


def _lock_of(key: str) -> LoginThrottle:
    return LoginThrottle.get(LoginThrottle.key == key)


def _time_passes_past_the_locks() -> None:
    LoginThrottle.update(locked_until=utcnow() - datetime.timedelta(seconds=1)).where(
        LoginThrottle.locked_until.is_null(False)).execute()


# --- what a lock blocks, and what it does not ---------------------------------------------------


def test_after_the_limit_the_pair_is_refused_429_with_retry_after_even_with_the_right_password(throttled):
    _fail(throttled, "alice", 3)
    refused = _basic(throttled, "alice", DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert _about(refused.headers["Retry-After"], 60)
    assert refused.json["message"] == ("too many failed logins for this account from your address; "
                                       f"try again in {refused.headers['Retry-After']} seconds")


def test_a_locked_account_and_address_pair_blocks_neither_other_accounts_nor_other_addresses(throttled):
    _fail(throttled, "alice", 3, ip="10.0.0.1")
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="10.0.0.1").status_code == 429
    assert _basic(throttled, "bob", DEFAULT_PASSWORD, ip="10.0.0.1").status_code == 200
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="10.0.0.2").status_code == 200


def test_an_address_guessing_at_many_accounts_is_locked_for_all_of_them_and_only_itself(throttled):
    for who in ("alice", "bob", "carol", "dave", "erin", "frank"):  # 6 = the per-address limit
        _fail(throttled, who, 1, ip="10.1.1.1")
    refused = _basic(throttled, "root", DEFAULT_PASSWORD, ip="10.1.1.1")
    assert refused.status_code == 429 and "from your address" in refused.json["message"]
    assert _basic(throttled, "root", DEFAULT_PASSWORD, ip="10.1.1.2").status_code == 200


def test_a_distributed_guess_locks_the_account_only_for_addresses_that_failed(throttled):
    for n in range(8):  # 8 = the per-account ceiling, one failure per address
        _fail(throttled, "alice", 1, ip=f"10.2.2.{n}")
    refused = _basic(throttled, "alice", DEFAULT_PASSWORD, ip="10.2.2.0")
    assert refused.status_code == 429
    assert refused.json["message"].startswith("too many failed logins for this account;")
    # The user at an address without failures still logs in (and that ends the streak).
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="192.0.2.10").status_code == 200
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="10.2.2.0").status_code == 200


def test_an_account_is_counted_once_whether_named_by_login_or_by_email(throttled):
    _fail(throttled, "alice", 2)
    _fail(throttled, "alice@example.com", 1)
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 429


def test_ipv6_clients_are_counted_by_their_64_prefix(throttled):
    for n in range(3):
        _fail(throttled, "alice", 1, ip=f"2001:db8:1:2::{n + 1}")
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="2001:db8:1:2::99").status_code == 429
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="2001:db8:1:3::1").status_code == 200


def test_pilot_runnerhub_and_basic_logins_share_the_counts_and_answer_in_their_shapes(throttled):
    throttled.simulate_post("/auth/login", json={"email": "alice@example.com", "password": "x"},
                            remote_addr="10.0.0.2")
    throttled.simulate_post("/api/auth/login", json={"username": "alice", "password": "x"},
                            remote_addr="10.0.0.2")
    _fail(throttled, "alice", 1, ip="10.0.0.2")
    pilot = throttled.simulate_post("/auth/login", json={"email": "alice@example.com",
                                                         "password": DEFAULT_PASSWORD},
                                    remote_addr="10.0.0.2")
    assert pilot.status_code == 429 and _about(pilot.headers["Retry-After"], 60)
    assert pilot.json["error"].startswith("too many failed logins")
    hub = throttled.simulate_post("/api/auth/login", json={"username": "alice",
                                                            "password": DEFAULT_PASSWORD},
                                  remote_addr="10.0.0.2")
    assert hub.status_code == 429 and _about(hub.headers["Retry-After"], 60)
    assert hub.json["error"]["code"] == "RATE_LIMIT_EXCEEDED"


def test_access_tokens_work_while_the_password_is_locked_from_that_address(throttled):
    token = throttled.simulate_post("/api/v1/users/alice/tokens", json={"name": "t", "scopes": ["all"]},
                                    headers=basic_auth("alice")).json["sha1"]
    _fail(throttled, "alice", 3)
    _fail(throttled, "bob", 3)  # the pair and the address are both locked now
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 429
    assert throttled.simulate_get("/api/v1/user", headers=token_auth(token),
                                  remote_addr="10.0.0.1").status_code == 200
    assert _basic(throttled, "alice", token).status_code == 200  # a token as the Basic password


# --- back-off, and how counts end ---------------------------------------------------------------


def test_each_failure_past_the_limit_doubles_the_lock_up_to_the_maximum(throttled):
    _fail(throttled, "alice", 3)
    seen = [int(_basic(throttled, "alice", DEFAULT_PASSWORD).headers["Retry-After"])]
    for _ in range(4):
        _time_passes_past_the_locks()
        _fail(throttled, "alice", 1)
        seen.append(int(_basic(throttled, "alice", DEFAULT_PASSWORD).headers["Retry-After"]))
    expected = [60, 120, 240, 480, 600]
    assert len(seen) == len(expected)
    assert all(_about(got, want) for got, want in zip(seen, expected)), seen


def test_attempts_refused_while_locked_neither_count_nor_prolong_the_lock(throttled):
    _fail(throttled, "alice", 3)
    before = _lock_of("pair:alice|10.0.0.1")
    for _ in range(5):
        assert _basic(throttled, "alice", "wrong").status_code == 429
    after = _lock_of("pair:alice|10.0.0.1")
    assert (after.failures, after.locked_until) == (before.failures, before.locked_until) == \
        (3, before.locked_until)


def test_a_correct_password_ends_the_accounts_streak_but_not_the_addresses(throttled):
    _fail(throttled, "alice", 2)
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 200
    assert not LoginThrottle.select().where(LoginThrottle.account == "alice").exists()
    assert _lock_of("address:10.0.0.1").failures == 2
    _fail(throttled, "alice", 2)
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 200


def test_a_guesser_cannot_clear_its_address_count_by_logging_in_to_its_own_account(throttled):
    _fail(throttled, "alice", 3)
    _fail(throttled, "bob", 2)
    assert _basic(throttled, "root", DEFAULT_PASSWORD).status_code == 200
    _fail(throttled, "carol", 1)  # the sixth failure from this address
    assert _basic(throttled, "root", DEFAULT_PASSWORD).status_code == 429


def test_a_correct_password_that_was_the_addresss_last_allowed_attempt_leaves_it_unlocked(throttled):
    _fail(throttled, "alice", 3)
    _fail(throttled, "bob", 2)  # 5 of the address's 6: root's attempt is counted as the 6th
    assert _basic(throttled, "root", DEFAULT_PASSWORD).status_code == 200
    address = _lock_of("address:10.0.0.1")
    assert (address.failures, address.locked_until) == (5, None)
    assert _basic(throttled, "bob", DEFAULT_PASSWORD).status_code == 200


def test_counts_are_forgotten_a_window_after_the_last_failure(throttled):
    _fail(throttled, "alice", 2)
    LoginThrottle.update(last_failure=utcnow() - datetime.timedelta(hours=2)).execute()
    _fail(throttled, "alice", 2)
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 200


# --- the client address behind a reverse proxy --------------------------------------------------


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_apart(throttled):
    # 127.0.0.1 is a trusted proxy by default (Gitea's REVERSE_PROXY_TRUSTED_PROXIES).
    _fail(throttled, "alice", 3, ip="127.0.0.1", **{"X-Forwarded-For": "203.0.113.5"})
    locked = _basic(throttled, "alice", DEFAULT_PASSWORD, ip="127.0.0.1",
                    **{"X-Forwarded-For": "203.0.113.5"})
    assert locked.status_code == 429
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="127.0.0.1",
                  **{"X-Forwarded-For": "203.0.113.6"}).status_code == 200
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="127.0.0.1",
                  Forwarded='for="203.0.113.7:4711";proto=https').status_code == 200
    assert LoginThrottle.get(LoginThrottle.scope == "address").address == "203.0.113.5"


def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(throttled):
    for n in range(3):
        _fail(throttled, "alice", 1, ip="198.51.100.9", **{"X-Forwarded-For": f"203.0.113.{n}"})
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, ip="198.51.100.9",
                  **{"X-Forwarded-For": "203.0.113.99"}).status_code == 429


def test_trusted_proxies_are_a_setting(app_with_plugins):
    app, client = app_with_plugins(accounts=LIMITS, trusted_proxies=["10.8.0.0/16"])
    make_user(app.plue, "alice")
    _fail(client, "alice", 3, ip="127.0.0.1", **{"X-Forwarded-For": "203.0.113.5"})
    # 127.0.0.1 is no longer trusted: its header was ignored and the proxy itself is locked.
    assert _basic(client, "alice", DEFAULT_PASSWORD, ip="127.0.0.1",
                  **{"X-Forwarded-For": "203.0.113.6"}).status_code == 429
    _fail(client, "alice", 3, ip="10.8.1.1", **{"X-Forwarded-For": "203.0.113.5"})
    assert _basic(client, "alice", DEFAULT_PASSWORD, ip="10.8.1.1",
                  **{"X-Forwarded-For": "203.0.113.6"}).status_code == 200


# --- administrators see and clear locks ---------------------------------------------------------


def _locks(client, query="", who="root"):
    return client.simulate_get("/api/v1/admin/login_locks", query_string=query,
                               headers=basic_auth(who), remote_addr="10.9.9.9")


def test_admins_list_locks_first_and_clear_those_of_a_user(throttled):
    _fail(throttled, "alice", 3)
    _fail(throttled, "bob", 1, ip="10.0.0.2")
    listed = _locks(throttled)
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "6"
    first = listed.json[0]
    assert {k: first[k] for k in ("scope", "user", "address", "failures", "locked")} \
        == {"scope": "pair", "user": "alice", "address": "10.0.0.1", "failures": 3, "locked": True}
    assert _about(first["retry_after"], 60)
    assert first["locked_until"].endswith("Z")
    assert [row["scope"] for row in _locks(throttled, "locked=true").json] == ["pair"]
    assert {row["scope"] for row in _locks(throttled, "user=ALICE").json} == {"pair", "account"}

    cleared = throttled.simulate_delete("/api/v1/admin/login_locks", query_string="user=alice",
                                        headers=basic_auth("root"), remote_addr="10.9.9.9")
    assert cleared.status_code == 204
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 200
    assert {row["user"] for row in _locks(throttled).json} == {None, "bob"}


def test_admins_clear_the_counts_of_an_address(throttled):
    _fail(throttled, "alice", 3)
    _fail(throttled, "bob", 3)
    throttled.simulate_delete("/api/v1/admin/login_locks", query_string="address=10.0.0.1",
                              headers=basic_auth("root"), remote_addr="10.9.9.9")
    assert not LoginThrottle.select().where(LoginThrottle.address == "10.0.0.1").exists()
    assert LoginThrottle.select().where(LoginThrottle.key == "account:alice").exists()
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 200


def test_login_locks_are_for_site_administrators_only(throttled):
    anonymous = throttled.simulate_get("/api/v1/admin/login_locks")
    assert anonymous.status_code == 401
    assert _locks(throttled, who="bob").status_code == 403
    refused = throttled.simulate_delete("/api/v1/admin/login_locks", headers=basic_auth("bob"))
    assert refused.status_code == 403
    assert refused.json["message"] == "you must be a site administrator"


def test_a_malformed_address_filter_is_422_naming_it(throttled):
    answer = _locks(throttled, "address=not-an-ip")
    assert answer.status_code == 422
    assert answer.json["message"] == "address: 'not-an-ip' is not an IP address"


def test_clearing_without_a_filter_clears_every_counter(throttled):
    _fail(throttled, "alice", 3)
    _fail(throttled, "bob", 1, ip="10.0.0.2")
    cleared = throttled.simulate_delete("/api/v1/admin/login_locks", headers=basic_auth("root"),
                                        remote_addr="10.9.9.9")
    assert cleared.status_code == 204
    assert LoginThrottle.select().count() == 0


def test_the_scheduled_job_removes_counters_past_their_window_and_keeps_locks(app_with_plugins):
    app, client = app_with_plugins(accounts=LIMITS)
    make_user(app.plue, "alice")
    _fail(client, "alice", 3, ip="10.0.0.1")  # locked
    _fail(client, "alice", 1, ip="10.0.0.2")
    long_ago = utcnow() - datetime.timedelta(hours=2)
    LoginThrottle.update(last_failure=long_ago).execute()
    assert app.plue.jobs["accounts.forget_login_failures"].func(app.plue) == 4
    assert [row.key for row in LoginThrottle.select()] == ["pair:alice|10.0.0.1"]


# --- the counters read with the account (one statement, issue 13) ----------------------------


def _locked_elsewhere(key: str, scope: str, account: str | None, address: str | None) -> None:
    """A lock written as another worker (or host) writes it: straight into the table."""
    LoginThrottle.delete().where(LoginThrottle.key == key).execute()
    LoginThrottle.insert(key=key, scope=scope, account=account, address=address, failures=9,
                         last_failure=utcnow(),
                         locked_until=utcnow() + datetime.timedelta(seconds=60)).execute()


@pytest.mark.parametrize("key, scope, account, address", [
    ("pair:alice|10.0.0.1", "pair", "alice", "10.0.0.1"),
    ("address:10.0.0.1", "address", None, "10.0.0.1"),
])
def test_a_lock_set_by_another_worker_refuses_the_next_remembered_login(
        throttled, key, scope, account, address):
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 200  # now remembered
    _locked_elsewhere(key, scope, account, address)
    refused = _basic(throttled, "alice", DEFAULT_PASSWORD)
    assert refused.status_code == 429 and _about(refused.headers["retry-after"], 60)
    # Named by e-mail, the same account's counters are found.
    assert _basic(throttled, "alice@example.com", DEFAULT_PASSWORD).status_code == 429
    assert _basic(throttled, "bob", DEFAULT_PASSWORD, "10.0.0.2").status_code == 200


def test_an_account_lock_set_elsewhere_refuses_only_an_address_that_failed(throttled):
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, "10.0.0.3").status_code == 200
    _fail(throttled, "bob", 1, "10.0.0.3")
    _locked_elsewhere("account:alice", "account", "alice", None)
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, "10.0.0.3").status_code == 429
    # From an address without failures the right password passes (and ends the streak).
    assert _basic(throttled, "alice", DEFAULT_PASSWORD, "10.0.0.4").status_code == 200


def test_a_login_that_waited_for_another_check_reads_the_counters_again(throttled, monkeypatch):
    """The counters come with the account, before the wait for a concurrent check of the same
    credential; a lock set during that wait must still refuse it."""
    from plue_core.accounts import login_throttle

    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 200
    checker = throttled.app.plue.services["accounts"].password_checker
    one_at_a_time = type(checker).one_at_a_time.__wrapped__

    def waiting(self, password, stored_hash):
        # What the first check holding the credential does meanwhile: a lock is set.
        _locked_elsewhere("pair:alice|10.0.0.1", "pair", "alice", "10.0.0.1")
        generator = one_at_a_time(self, password, stored_hash)
        next(generator)
        try:
            yield True
        finally:
            next(generator, None)

    monkeypatch.setattr(type(checker), "one_at_a_time", contextlib.contextmanager(waiting))
    reads = []
    rows = login_throttle._rows
    monkeypatch.setattr(login_throttle, "_rows", lambda *a, **k: reads.append(k) or rows(*a, **k))
    assert _basic(throttled, "alice", DEFAULT_PASSWORD).status_code == 429
    assert reads == [{"for_update": False}]
