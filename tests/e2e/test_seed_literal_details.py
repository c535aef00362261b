"""Details of seeds 001 and 002 that a client reading them literally relies on, which the shape
walks of test_seed_families.py (JSON types only) let through:

- every time is written as the seeds write theirs, ``2025-10-15T12:00:00Z`` (to the second),
  in bodies and in RunnerHub's error envelope, never with microseconds;
- every RunnerHub answer carries the seed's ``API-Version: 2.0`` header ("API Versioning");
- Runner Pilot's login token lasts the seed's ``"expires_in": 3600``, RunnerHub's the seed's
  ``"expiresIn": "24h"``."""

from __future__ import annotations

import re

import jwt
import pytest

from plue_core.testing import DEFAULT_PASSWORD, basic_auth, make_user

SEED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
TIME_LIKE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def times_in(body, where: str = "$"):
    """Every string in ``body`` that looks like a time, with its JSON path."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield from times_in(value, f"{where}.{key}")
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from times_in(value, f"{where}[{index}]")
    elif isinstance(body, str) and TIME_LIKE.match(body):
        yield where, body


def assert_seed_times(response, *, expect_some: bool = True) -> None:
    found = dict(times_in(response.json))
    assert found or not expect_some, response.json
    wrong = {path: value for path, value in found.items() if not SEED_TIME.fullmatch(value)}
    assert not wrong, f"times not written as the seed writes them: {wrong}"


@pytest.fixture
def pilot(client):
    """John, registered and logged in through Runner Pilot as seed 001 does."""
    registered = client.simulate_post("/auth/register", json={
        "full_name": "John Doe", "email": "john@example.com", "password": "strongpassword"})
    assert registered.status_code == 200, registered.text
    login = client.simulate_post("/auth/login", json={"email": "john@example.com",
                                                      "password": "strongpassword"})
    assert login.status_code == 200, login.text
    return registered, login


@pytest.fixture
def hub(client, ctx):
    make_user(ctx, "hubadmin", admin=True)
    login = client.simulate_post("/api/auth/login", json={"username": "hubadmin",
                                                          "password": DEFAULT_PASSWORD})
    assert login.status_code == 200, login.text
    return login, {"Authorization": f"Bearer {login.json['token']}"}


def test_runner_pilot_writes_its_times_as_the_seed_does(client, pilot):
    registered, login = pilot
    assert_seed_times(registered)
    bearer = {"Authorization": f"Bearer {login.json['access_token']}"}
    onboarded = client.simulate_post("/onboarding", headers=bearer, json={"organization": {
        "name": "Gigatech", "short_name": "GT", "type": "personal"}})
    assert onboarded.status_code == 200, onboarded.text
    me = client.simulate_get("/common/me", headers=bearer)
    assert_seed_times(onboarded)
    assert_seed_times(me)
    # The account's creation time is one time, whichever answer tells it.
    assert registered.json["created_at"] == me.json["created_at"]


def test_runnerhub_bodies_and_errors_write_their_times_as_the_seed_does(client, hub):
    _, bearer = hub
    for response in (client.simulate_get("/health"),
                     client.simulate_get("/api/jobs/job_123", headers=bearer),  # 404
                     client.simulate_get("/api/jobs?limit=0", headers=bearer),  # 400
                     client.simulate_get("/api/jobs"),  # 401
                     client.simulate_get("/api/nowhere", headers=bearer),
                     client.simulate_post("/api/security/secret-scan", headers=bearer, json={
                         "job_id": "job_123", "content": "Log content to scan for secrets",
                         "scan_rules": ["api_keys", "passwords", "tokens"]}),
                     client.simulate_get("/api/security/status", headers=bearer),
                     client.simulate_post("/api/github/sync", headers=bearer, json={}),
                     client.simulate_get("/api/monitoring/dashboard", headers=bearer)):
        assert response.status_code < 500, response.text
        assert_seed_times(response)


def test_every_runnerhub_answer_carries_the_seeds_api_version_header(client, hub):
    _, bearer = hub
    for response in (client.simulate_get("/api/jobs", headers=bearer),
                     client.simulate_get("/api/runners", headers=bearer),
                     client.simulate_get("/api/metrics", headers=bearer),
                     client.simulate_get("/api/jobs/job_123", headers=bearer),  # errors too
                     client.simulate_get("/api/jobs"),
                     client.simulate_patch("/api/jobs", headers=bearer),
                     client.simulate_post("/api/auth/login", json={"username": "x",
                                                                  "password": "y"}),
                     client.simulate_get("/health")):
        assert response.headers.get("API-Version") == "2.0", (response.status_code,
                                                              response.headers)
    # Not the other families': Gitea's API, the tracked repositories, Runner Pilot.
    for path in ("/api/v1/version", "/api/repos", "/common/me"):
        response = client.simulate_get(path, headers=basic_auth("hubadmin"))
        assert response.status_code == 200, response.text
        assert "API-Version" not in response.headers, path


def _lifetime(token: str) -> int:
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["exp"] - claims["iat"]


def test_each_login_hands_out_its_seeds_token_lifetime(pilot, hub):
    _, login = pilot
    assert login.json["expires_in"] == 3600  # seed 001
    assert _lifetime(login.json["access_token"]) == 3600
    hub_login, _ = hub
    assert hub_login.json["expiresIn"] == "24h"  # seed 002
    assert _lifetime(hub_login.json["token"]) == 86400


def test_the_lifetimes_follow_their_settings(build_app):
    import falcon.testing

    app = build_app(accounts={"pilot_jwt_ttl_seconds": 600, "jwt_ttl_seconds": 5400})
    client = falcon.testing.TestClient(app)
    make_user(app.plue, "ann")
    pilot = client.simulate_post("/auth/login", json={"email": "ann@example.com",
                                                      "password": DEFAULT_PASSWORD})
    assert pilot.json["expires_in"] == 600 and _lifetime(pilot.json["access_token"]) == 600
    hub = client.simulate_post("/api/auth/login", json={"username": "ann",
                                                        "password": DEFAULT_PASSWORD})
    assert hub.json["expiresIn"] == "90m" and _lifetime(hub.json["token"]) == 5400


def test_a_browser_on_an_allowed_origin_may_read_the_seeds_headers(build_app):
    import falcon.testing

    app = build_app(cors_origins=["https://dashboard.example"])
    make_user(app.plue, "hubadmin", admin=True)
    client = falcon.testing.TestClient(app)
    response = client.simulate_get("/api/jobs", headers={**basic_auth("hubadmin"),
                                                         "Origin": "https://dashboard.example"})
    assert response.status_code == 200, response.text
    exposed = {h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    sent = {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "api-version",
            "x-request-id"}
    assert sent <= {name.lower() for name in response.headers}
    assert sent <= exposed
