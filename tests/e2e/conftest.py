"""Fixtures shared by the end-to-end tests."""

from tests.plugins.security.conftest import docker_engine  # noqa: F401  (a pytest fixture)
