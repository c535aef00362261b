"""Fixtures for the monitoring tests: an app with small rate limits and a forge with
workflow runs (the actions plugin's shipped helpers)."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core.testing import make_user
from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)


@pytest.fixture
def limited_app(build_app):
    """Rate limits of 3 (auth, per IP) and 5 (general, per user) per hour."""
    app = build_app(monitoring={"rate_limit_auth": 3, "rate_limit_general": 5})
    make_user(app.plue, "alice")
    make_user(app.plue, "bob")
    return app


@pytest.fixture
def limited(limited_app):
    return falcon.testing.TestClient(limited_app)
