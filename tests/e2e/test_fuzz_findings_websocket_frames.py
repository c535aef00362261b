"""A ``/api/ws`` text frame of arrays nested deeper than Python's recursion limit (30,000 ``[``,
well under the 64 KiB a message may have): ``json.loads`` raised RecursionError, which ended
the connection with a traceback in the log and no error frame. A frame is decoded as a request
body is (``plue_core.request_json``): an ``error`` frame (VALIDATION_ERROR), and the connection
goes on. Under real gunicorn, with a real WebSocket client."""

from __future__ import annotations

import base64
import json

import pytest
from websockets.sync.client import connect

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("websocket-frames")
    with fresh_database_url(tmp) as url, run_live_server(tmp, url, workers=1) as live:
        live.plue("admin", "user", "create", "--username", "alice", "--email",
                  "alice@example.com", "--password", DEFAULT_PASSWORD)
        yield live, tmp


def test_a_frame_nested_too_deeply_is_an_error_frame_and_the_connection_stays(server):
    live, tmp = server
    basic = base64.b64encode(f"alice:{DEFAULT_PASSWORD}".encode()).decode()
    with connect(live.url.replace("http://", "ws://") + "/api/ws", open_timeout=10,
                 additional_headers={"Authorization": f"Basic {basic}"}) as socket:
        socket.send("[" * 30000)
        frame = json.loads(socket.recv(timeout=10))
        assert frame["type"] == "error", frame
        assert frame["error"]["code"] == "VALIDATION_ERROR"
        assert "too deeply" in frame["error"]["message"]

        socket.send(json.dumps({"type": "ping"}))
        assert json.loads(socket.recv(timeout=10))["type"] == "pong"
    assert "RecursionError" not in (tmp / "server.log").read_text()
