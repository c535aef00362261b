"""Basic auth remembers a verified password (bcrypt costs ~0.2 s a check), and the
authenticated account is loaded once per request; neither may outlive a change: a changed
password, a disabled account or a deleted token is refused on the very next request, and a
remembered password is still a login that a login lock refuses (docs/accounts.md)."""

from __future__ import annotations

import bcrypt

from plue_core.testing import basic_auth, make_user, recorded_statements, token_auth

NEW_PASSWORD = "another-horse-battery"


def _admin(client, ctx):
    make_user(ctx, "root", admin=True)
    return basic_auth("root")


def _bcrypt_checks(monkeypatch) -> list:
    calls = []
    checkpw = bcrypt.checkpw

    def counting(password, hashed):
        calls.append(password)
        return checkpw(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    return calls


def test_a_verified_password_is_not_checked_with_bcrypt_again(client, ctx, monkeypatch):
    make_user(ctx, "alice")
    checks = _bcrypt_checks(monkeypatch)
    for _ in range(3):
        assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 200
    assert len(checks) == 1


def test_the_cache_holds_digests_never_the_password(client, ctx):
    make_user(ctx, "alice")
    client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    checker = ctx.services["accounts"].password_checker
    assert checker._ok and all(isinstance(key, bytes) and len(key) == 32 for key in checker._ok)
    assert not any(b"correct-horse" in key for key in checker._ok)


def test_a_changed_password_is_refused_on_the_next_request(client, ctx):
    admin = _admin(client, ctx)
    make_user(ctx, "alice")
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 200
    changed = client.simulate_patch("/api/v1/admin/users/alice", headers=admin,
                                    json={"login_name": "alice", "source_id": 0,
                                          "password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 401
    assert client.simulate_get("/api/v1/user",
                               headers=basic_auth("alice", NEW_PASSWORD)).status_code == 200


def test_a_disabled_account_is_refused_on_the_next_request(client, ctx):
    admin = _admin(client, ctx)
    make_user(ctx, "alice")
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 200
    client.simulate_patch("/api/v1/admin/users/alice", headers=admin,
                          json={"login_name": "alice", "source_id": 0, "prohibit_login": True})
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 401


def test_a_deleted_token_is_refused_on_the_next_request(client, ctx):
    make_user(ctx, "alice")
    created = client.simulate_post("/api/v1/users/alice/tokens", headers=basic_auth("alice"),
                                   json={"name": "ci", "scopes": ["all"]}).json
    assert client.simulate_get("/api/v1/user", headers=token_auth(created["sha1"])).json["login"] == "alice"
    deleted = client.simulate_delete(f"/api/v1/users/alice/tokens/{created['id']}",
                                     headers=basic_auth("alice"))
    assert deleted.status_code == 204
    assert client.simulate_get("/api/v1/user", headers=token_auth(created["sha1"])).status_code == 401


def test_a_remembered_password_is_still_refused_by_a_login_lock(client, ctx):
    make_user(ctx, "alice")
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 200
    limit = ctx.section("accounts")["login_max_failures"]
    for _ in range(limit):
        client.simulate_get("/api/v1/user", headers=basic_auth("alice", "wrong-password"))
    locked = client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers


def test_the_account_of_a_request_is_the_one_its_credential_was_checked_against(client, ctx):
    """``account_for(identity)`` answers from the identity: one statement for /api/v1/user."""
    make_user(ctx, "alice")
    token = client.simulate_post("/api/v1/users/alice/tokens", headers=basic_auth("alice"),
                                 json={"name": "ci", "scopes": ["all"]}).json["sha1"]
    client.simulate_get("/api/v1/user", headers=token_auth(token))  # last_used_at written
    with recorded_statements(ctx.db) as statements:
        assert client.simulate_get("/api/v1/user", headers=token_auth(token)).json["login"] == "alice"
    assert len(statements) == 1, statements


def test_parallel_requests_with_a_new_password_check_it_once_and_are_not_locked(
        client, ctx, monkeypatch):
    """A CI job's parallel git fetches arrive together with a cold cache: they wait for the
    first check instead of each counting an attempt (which would lock the account out)."""
    import threading
    import time

    make_user(ctx, "alice")
    checks = []
    checkpw = bcrypt.checkpw

    def slow(password, hashed):  # bcrypt at its production cost takes this long
        checks.append(password)
        time.sleep(0.3)
        return checkpw(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", slow)
    limit = ctx.section("accounts")["login_max_failures"]
    statuses = []

    def fetch():
        statuses.append(client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code)

    threads = [threading.Thread(target=fetch) for _ in range(limit * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * (limit * 2)
    assert len(checks) == 1


def test_a_check_of_a_credential_says_whether_it_waited_for_another():
    """A login that waited for a concurrent check of its credential re-reads what it read
    before the wait (the login-lock counters, read with the account)."""
    import threading

    from plue_core.accounts.credentials import PasswordChecker

    checker = PasswordChecker()
    seen, holding, release = [], threading.Event(), threading.Event()

    def first():
        with checker.one_at_a_time("pw", "hash") as waited:
            seen.append(("first", waited))
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(10)
    threading.Timer(0.2, release.set).start()
    with checker.one_at_a_time("pw", "hash") as waited:
        seen.append(("second", waited))
    thread.join(10)
    with checker.one_at_a_time("pw", "hash") as waited:
        seen.append(("alone", waited))
    with checker.one_at_a_time("pw", None) as waited:
        seen.append(("no hash", waited))
    assert seen == [("first", False), ("second", True), ("alone", False), ("no hash", False)]
