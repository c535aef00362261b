"""Signing in and out of the web pages: server-side sessions (revocable, expiring, cookie
flags), the API's login throttle, ``must_change_password``, sign-up, and CSRF on every
state-changing request."""

from __future__ import annotations

import datetime

from plue_core.db import connection
from plue_core.testing import DEFAULT_PASSWORD, basic_auth, make_user

from tests.plugins.web.conftest import Browser, build_site


def test_signing_in_sets_an_http_only_lax_session_cookie_and_shows_your_repositories(site):
    browser = Browser(site.client)
    browser.get("/user/login")
    result = browser.post("/user/login", {"user_name": "alice", "password": DEFAULT_PASSWORD,
                                          "redirect_to": "/alice/code"})
    assert result.status_code == 303 and result.headers["location"].endswith("/alice/code")
    cookie = result.cookies["plue_session"]
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    assert cookie.path == "/"
    home = browser.get("/")
    assert "Your repositories" in home.text and 'href="/alice/vault"' in home.text


def test_the_session_cookie_is_secure_when_the_site_is_served_over_https(build_app):
    site = build_site(build_app(base_url="https://forge.example"))
    result = site.browser().post("/user/login", {"user_name": "alice", "password": DEFAULT_PASSWORD},
                                 from_page="/user/login")
    assert result.cookies["plue_session"].secure


def test_a_wrong_password_is_refused_on_the_form(site):
    browser = Browser(site.client)
    result = browser.post("/user/login", {"user_name": "alice", "password": "wrong"},
                          from_page="/user/login")
    assert result.status_code == 401 and "user name or password is incorrect" in result.text
    assert "plue_session" not in result.cookies


def test_the_web_sign_in_shares_the_login_throttle_of_the_api(build_app):
    site = build_site(build_app(accounts={"login_max_failures": 2}))
    browser = Browser(site.client)
    for _ in range(2):
        browser.post("/user/login", {"user_name": "alice", "password": "wrong"},
                     from_page="/user/login")
    locked = browser.post("/user/login", {"user_name": "alice", "password": DEFAULT_PASSWORD},
                          from_page="/user/login")
    assert locked.status_code == 429 and "too many failed logins" in locked.text
    assert int(locked.headers["retry-after"]) > 0
    # The same lock answers the API (one throttle for every face).
    assert site.client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 429


def test_signing_out_revokes_the_session_everywhere_its_cookie_is(site):
    browser = site.browser("alice")
    stolen = dict(browser.cookies)
    browser.get("/")
    result = browser.post("/user/logout", {})
    assert result.status_code == 303
    assert "plue_session" not in browser.cookies
    thief = Browser(site.client)
    thief.cookies = stolen
    assert "Your repositories" not in thief.get("/").text
    assert thief.get("/alice/vault").status_code == 404


def test_an_expired_session_is_refused(site):
    browser = site.browser("alice")
    from plue_web.models import WebSession
    with connection(site.ctx.db):
        WebSession.update(expires_at=datetime.datetime(2000, 1, 1)).execute()
    assert browser.get("/alice/vault").status_code == 404


def test_the_session_lasts_the_configured_time(build_app):
    site = build_site(build_app(web={"session_ttl_seconds": 600}))
    result = site.browser().post("/user/login", {"user_name": "alice", "password": DEFAULT_PASSWORD},
                                 from_page="/user/login")
    assert result.cookies["plue_session"].max_age == 600
    from plue_web.models import WebSession
    with connection(site.ctx.db):
        row = WebSession.get()
        assert abs((row.expires_at - row.created_at).total_seconds() - 600) < 2


def test_the_api_never_accepts_the_session_cookie(site):
    browser = site.browser("alice")
    result = site.client.simulate_get("/api/v1/user", cookies=browser.cookies)
    assert result.status_code == 401
    assert site.client.simulate_get("/api/v1/repos/alice/vault",
                                    cookies=browser.cookies).status_code == 404


def test_a_form_without_or_with_a_wrong_csrf_token_is_refused(site):
    browser = site.browser("alice")
    browser.get("/alice/code/issues/new")
    missing = browser.post("/alice/code/issues/new", {"title": "forged"}, csrf=False)
    assert missing.status_code == 403 and "CSRF" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    wrong = browser.post("/alice/code/issues/new", {"title": "forged", "_csrf": "0" * 64}, csrf=False)
    assert wrong.status_code == 403
    # Another browser's token is no good either.
    other = site.browser("oscar")
    other.get("/")
    forged = browser.post("/alice/code/issues/new", {"title": "forged", "_csrf": other.csrf_token()},
                          csrf=False)
    assert forged.status_code == 403
    assert site.get("/repos/alice/code/issues", params={"state": "all"}).json == []
    # Signing in needs the token too (login CSRF).
    anonymous = Browser(site.client)
    refused = anonymous.post("/user/login", {"user_name": "alice", "password": DEFAULT_PASSWORD},
                             csrf=False)
    assert refused.status_code == 403 and "plue_session" not in refused.cookies


def test_the_csrf_token_may_come_in_a_header(site):
    browser = site.browser("alice")
    browser.get("/")
    result = site.client.simulate_post(
        "/user/logout", cookies=browser.cookies, headers={"X-CSRF-Token": browser.csrf_token()})
    assert result.status_code == 303


def test_an_account_that_must_change_its_password_is_held_to_it(build_app):
    site = build_site(build_app())
    make_user(site.ctx, "newbie", must_change_password=True)
    browser = Browser(site.client)
    result = browser.post("/user/login", {"user_name": "newbie", "password": DEFAULT_PASSWORD},
                          from_page="/user/login")
    assert result.headers["location"].endswith("/user/settings/change_password")
    held = browser.get("/alice/code")
    assert held.status_code == 303 and held.headers["location"].endswith("/user/settings/change_password")
    page = browser.get("/user/settings/change_password")
    assert "must change its password" in page.text and "old_password" not in page.text
    mismatch = browser.post("/user/settings/change_password", {"password": "new-password-1",
                                                               "retype": "other-password"})
    assert mismatch.status_code == 422 and "do not match" in mismatch.text
    browser.get("/user/settings/change_password")
    done = browser.post("/user/settings/change_password", {"password": "new-password-1",
                                                           "retype": "new-password-1"})
    assert done.status_code == 303
    assert browser.get("/alice/code").status_code == 200
    assert site.client.simulate_get("/api/v1/user", headers=basic_auth(
        "newbie", "new-password-1")).status_code == 200


def test_changing_the_password_signs_out_the_other_browsers(site):
    laptop, phone = site.browser("alice"), site.browser("alice")
    laptop.get("/user/settings/change_password")
    wrong = laptop.post("/user/settings/change_password", {
        "old_password": "nope", "password": "another-pass-1", "retype": "another-pass-1"})
    assert wrong.status_code == 422 and "current password is incorrect" in wrong.text
    laptop.get("/user/settings/change_password")
    result = laptop.post("/user/settings/change_password", {
        "old_password": DEFAULT_PASSWORD, "password": "another-pass-1", "retype": "another-pass-1"})
    assert result.status_code == 200 and "other browsers are signed out" in result.text
    assert laptop.get("/alice/vault").status_code == 200
    assert phone.get("/alice/vault").status_code == 404


def test_signing_up_creates_the_account_and_signs_in(site):
    browser = Browser(site.client)
    result = browser.post("/user/sign_up", {"user_name": "newcomer", "email": "n@example.com",
                                            "password": "long-enough-1", "retype": "long-enough-1"},
                          from_page="/user/sign_up")
    assert result.status_code == 303
    assert "newcomer" in browser.get("/").text
    taken = Browser(site.client).post("/user/sign_up", {
        "user_name": "alice", "email": "x@example.com", "password": "long-enough-1",
        "retype": "long-enough-1"}, from_page="/user/sign_up")
    assert taken.status_code == 422 and "already exists" in taken.text
    assert 'value="alice"' in taken.text  # the form keeps what was typed


def test_sign_up_is_a_404_when_registration_is_closed(build_app):
    site = build_site(build_app(accounts={"open_registration": False}))
    browser = Browser(site.client)
    assert browser.get("/user/sign_up").status_code == 404
    assert "Sign up" not in browser.get("/user/login").text


def test_a_redirect_after_sign_in_never_leaves_the_site(site):
    result = Browser(site.client).post("/user/login", {
        "user_name": "alice", "password": DEFAULT_PASSWORD, "redirect_to": "//evil.example/x"},
        from_page="/user/login")
    assert result.headers["location"] in ("/", "http://falconframework.org/")
