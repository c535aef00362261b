"""Fixtures for the runners tests (the real Docker engine is plue_core.testing's
``docker_engine``): an app whose instances run a busybox script instead of a GitHub
runner, and ``fleet`` (plugins/plue_runner_pilot/testing.py) whose containers are removed afterwards by the
organization's label, even when the test fails."""

from __future__ import annotations

import pytest

from plue_core.testing import make_test_config
from plue_runner_pilot.testing import RUNNERS_SETTINGS, build_fleet, remove_org_containers


@pytest.fixture
def plue_config(tmp_path, plue_database_url):
    return make_test_config(tmp_path, plue_database_url, runner_pilot=RUNNERS_SETTINGS)


@pytest.fixture
def fleet(client, ctx):
    built = build_fleet(client, ctx)
    yield built
    try:
        import docker
        remove_org_containers(docker.from_env(), built.org_id)
    except Exception:  # noqa: BLE001 - no engine: nothing was started either
        pass
