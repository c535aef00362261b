"""Fixtures for the security tests: an app whose advisory database is the OSV fixture next to
this file (the real Docker engine is plue_core.testing's ``docker_engine``)."""

from __future__ import annotations

import pathlib

import falcon.testing
import pytest

from plue_core.testing import make_user
from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)

HERE = pathlib.Path(__file__).resolve().parent
ADVISORIES = HERE / "advisories"


@pytest.fixture
def build_security_app(build_app):
    """``build(**security_settings)`` -> a migrated app on the OSV fixture (closed after the test)."""
    def build(**security):
        return build_app(security={"advisories_path": str(ADVISORIES), **security})

    return build


@pytest.fixture
def security_app(build_security_app):
    app = build_security_app()
    make_user(app.plue, "root", admin=True)
    make_user(app.plue, "viewer")
    return app


@pytest.fixture
def hub(security_app):
    return falcon.testing.TestClient(security_app)
