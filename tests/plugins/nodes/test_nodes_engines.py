"""The nodes service hands out docker SDK clients for nodes: the real engine for a Socket
node, and a 503 naming the node and the fix when an engine does not answer."""

from __future__ import annotations

import pytest

from plue_core import create_app
from plue_core.db import connection
from plue_core.testing import free_port, make_test_config, migrate

from plue_nodes import nodes


@pytest.fixture
def engine_available():
    import docker

    try:
        docker.from_env().ping()
    except Exception as exc:  # noqa: BLE001 - any failure means: no engine here
        pytest.skip(f"DOCKER IS UNAVAILABLE - the engine tests did NOT run: {exc}")


def test_a_socket_node_gives_a_client_of_the_local_engine(ctx, engine_available):
    service = ctx.services["nodes"]
    with connection(ctx.db):
        node = nodes.create_node(1, {"name": "local", "type": "Socket", "status": "active"})
    assert service.engine_url(node) == "unix:///var/run/docker.sock"
    with service.docker_client(node) as client:
        assert client.ping() is True
        assert client.version()["ApiVersion"]


def test_a_dead_remote_engine_is_503_naming_the_node_and_the_fix(ctx):
    port = free_port()
    with connection(ctx.db):
        node = nodes.create_node(1, {"name": "far", "type": "Remote", "ip_address": "127.0.0.1",
                                     "port": port, "status": "active"})
    with pytest.raises(ctx.services["nodes"].EngineUnavailable) as failure:
        with ctx.services["nodes"].docker_client(node):
            pass
    assert failure.value.status == 503
    assert f"'far' (tcp://127.0.0.1:{port})" in failure.value.message
    assert "dockerd" in failure.value.message


def test_the_socket_path_is_a_setting(tmp_path, plue_database_url):
    app = create_app(make_test_config(tmp_path, plue_database_url,
                                      nodes={"socket_path": f"unix://{tmp_path}/no.sock"}))
    try:
        migrate(app)
        with connection(app.plue.db):
            node = nodes.create_node(1, {"name": "local", "type": "Socket", "status": "active"})
            with pytest.raises(app.plue.services["nodes"].EngineUnavailable) as failure:
                with app.plue.services["nodes"].docker_client(node):
                    pass
        assert f"unix://{tmp_path}/no.sock" in failure.value.message
        assert "socket_path" in failure.value.message
    finally:
        app.plue.close()


def test_a_bad_socket_path_setting_stops_the_start(tmp_path, plue_database_url):
    from plue_core.errors import StartupError

    with pytest.raises(StartupError, match="socket_path"):
        create_app(make_test_config(tmp_path, plue_database_url,
                                    nodes={"socket_path": "/var/run/docker.sock"}))
