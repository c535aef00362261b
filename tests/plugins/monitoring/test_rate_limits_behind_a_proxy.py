"""RunnerHub's per-address login budget is per client behind a trusted proxy, so one client
cannot spend everyone's; a client elsewhere cannot escape it by sending X-Forwarded-For."""

from __future__ import annotations

from plue_core.testing import DEFAULT_PASSWORD


def _login(client, peer: str, forwarded_for: str):
    return client.simulate_post("/api/auth/login", remote_addr=peer,
                                json={"username": "alice", "password": DEFAULT_PASSWORD},
                                headers={"X-Forwarded-For": forwarded_for})


def test_each_forwarded_client_has_its_own_login_budget(limited):
    for _ in range(3):  # rate_limit_auth = 3
        assert _login(limited, "127.0.0.1", "203.0.113.1").status_code == 200
    assert _login(limited, "127.0.0.1", "203.0.113.1").status_code == 429
    other = _login(limited, "127.0.0.1", "203.0.113.2")
    assert other.status_code == 200 and other.headers["X-RateLimit-Remaining"] == "2"


def test_an_untrusted_peer_cannot_pick_a_fresh_budget(limited):
    for n in range(3):
        assert _login(limited, "198.51.100.4", f"203.0.113.{n}").status_code == 200
    assert _login(limited, "198.51.100.4", "203.0.113.99").status_code == 429
