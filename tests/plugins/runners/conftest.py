"""Fixtures for the runners tests: the real Docker engine with plue-busybox:latest (as the
runner agent's tests get it), an app whose instances run a busybox script instead of a GitHub
runner, and ``fleet`` (fleet_world.py) whose containers are removed afterwards by the
organization's label, even when the test fails."""

from __future__ import annotations

import pathlib
import subprocess

import pytest

from plue_core.testing import make_test_config

from fleet_world import IMAGE, RUNNERS_SETTINGS, build_fleet, remove_org_containers

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def docker_engine():
    """The real Docker engine with plue-busybox:latest, set up by tools/docker-test-engine.sh.
    Skips (loudly) only when no engine can be started on this machine."""
    import docker

    setup = subprocess.run([str(REPO_ROOT / "tools" / "docker-test-engine.sh")],
                           capture_output=True, text=True)
    try:
        client = docker.from_env()
        client.images.get(IMAGE)
    except Exception as exc:  # noqa: BLE001 - any failure means: no engine here
        pytest.skip(f"DOCKER IS UNAVAILABLE - the runner instance tests did NOT run: {exc}; "
                    f"tools/docker-test-engine.sh said: {setup.stderr.strip()[-300:]}")
    return client


@pytest.fixture
def plue_config(tmp_path, plue_database_url):
    return make_test_config(tmp_path, plue_database_url, runners=RUNNERS_SETTINGS)


@pytest.fixture
def fleet(client, ctx):
    built = build_fleet(client, ctx)
    yield built
    try:
        import docker
        remove_org_containers(docker.from_env(), built.org_id)
    except Exception:  # noqa: BLE001 - no engine: nothing was started either
        pass
