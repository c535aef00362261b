"""A third-party plugin contributes its own WebSocket endpoint (hook
``register_websocket_endpoints``): the example plugin plue-hello's ``/api/v1/hello/echo`` is
served by the real gunicorn worker (``plue serve``) beside RunnerHub's ``/api/ws``, with the
kernel's authentication, and closed with 1001 when its worker stops. Two plugins declaring one
path is a startup error naming both."""

from __future__ import annotations

import signal

import psutil
import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from plue_core import hookimpl
from plue_core.app import build_context
from plue_core.errors import StartupError
from plue_core.testing import (basic_auth, fresh_database_url, make_test_config,
                               run_live_server)
from plue_core.websockets import WebSocketEndpoint

pytestmark = pytest.mark.e2e

PASSWORD = "echo-e2e-password"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plugin-websocket")
    with fresh_database_url(tmp) as url, run_live_server(tmp, url, workers=2) as live:
        live.plue("admin", "user", "create", "--username", "carol", "--email",
                  "carol@example.com", "--password", PASSWORD)
        yield live


def echo_url(server) -> str:
    return server.url.replace("http://", "ws://") + "/api/v1/hello/echo"


def closed_with(socket) -> ConnectionClosed:
    with pytest.raises(ConnectionClosed) as raised:
        while True:
            socket.recv(timeout=10)
    return raised.value


def test_the_plugins_endpoint_is_served_by_the_worker_with_the_kernels_authentication(server):
    headers = basic_auth("carol", PASSWORD)
    with connect(echo_url(server), additional_headers=headers, open_timeout=10) as socket:
        socket.send("hi")
        assert socket.recv(timeout=10) == "carol: hi"
        socket.send("again")
        assert socket.recv(timeout=10) == "carol: again"
    # the plain HTTP GET of the path is the WSGI app's (no route there: 404), not a 101
    assert requests.get(f"{server.url}/api/v1/hello/echo", timeout=10).status_code == 404


def test_without_credentials_the_plugin_closes_with_its_own_code(server):
    with connect(echo_url(server), open_timeout=10) as socket:
        assert closed_with(socket).rcvd.code == 4401


def test_runnerhub_and_the_plugin_share_the_worker_and_other_paths_stay_http(server):
    with pytest.raises(InvalidStatus) as refused:
        connect(server.url.replace("http://", "ws://") + "/api/v1/hello/nowhere", open_timeout=10)
    assert refused.value.response.status_code == 404
    with connect(server.url.replace("http://", "ws://") + "/api/ws", open_timeout=10) as hub:
        assert closed_with(hub).rcvd.code == 4401  # RunnerHub's refusal: it is served too


def test_a_stopping_worker_asks_the_plugins_handler_to_close_its_connections(server):
    master = psutil.Process(server.process.pid)
    workers = [child for child in master.children() if "scheduler" not in " ".join(child.cmdline())]
    headers = basic_auth("carol", PASSWORD)
    with connect(echo_url(server), additional_headers=headers, open_timeout=10) as socket:
        socket.send("before")
        assert socket.recv(timeout=10) == "carol: before"
        for worker in workers:  # whichever worker holds the socket stops
            worker.send_signal(signal.SIGTERM)
        assert closed_with(socket).rcvd.code == 1001


class _Squatter:
    """A plugin that wants RunnerHub's path."""

    PLUE_NAME = "squatter"

    @hookimpl
    def register_websocket_endpoints(self, ctx):
        return [WebSocketEndpoint("/api/ws", lambda ctx: None)]


def test_two_plugins_declaring_one_path_is_a_startup_error_naming_both(tmp_path):
    config = make_test_config(tmp_path, f"sqlite:///{tmp_path}/plue.db")
    with pytest.raises(StartupError, match=r"WebSocket endpoint '/api/ws'.*'runnerhub'.*'squatter'"):
        build_context(config, plugins=[_Squatter()])


@pytest.mark.parametrize("path", ["api/ws", "/api/ws/", ""])
def test_an_endpoint_path_must_start_and_not_end_with_a_slash(path):
    with pytest.raises(StartupError, match="must start with '/'"):
        WebSocketEndpoint(path, lambda ctx: None)
