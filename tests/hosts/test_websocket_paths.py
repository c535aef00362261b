"""The worker's WebSocket side hands over exactly the paths the plugins declared (a trailing
slash ignored, the root path included) and stops each endpoint's handler when it stops."""

from __future__ import annotations

import logging
import types

from plue_core.websockets import WebSocketEndpoint
from plue_hosts.websocket.entry import WebSocketHost


class Handler:
    stopped = 0

    def __init__(self, ctx):
        self.ctx = ctx

    async def serve(self, environ, receive, send):
        raise AssertionError("no connection in this test")

    async def stop(self):
        type(self).stopped += 1


def host_for(*paths: str) -> WebSocketHost:
    endpoints = {path: ("test", WebSocketEndpoint(path, Handler)) for path in paths}
    return WebSocketHost(types.SimpleNamespace(websocket_endpoints=endpoints),
                         logging.getLogger("test"))


def test_the_declared_paths_are_served_with_or_without_a_trailing_slash_and_nothing_else():
    host = host_for("/", "/api/ws")
    try:
        assert all(host.serves(path) for path in ("/", "/api/ws", "/api/ws/"))
        assert not any(host.serves(path) for path in ("/api", "/api/ws/x", "/api/wss"))
        assert {path: handler.ctx is host.ctx for path, handler in host.handlers.items()} == {
            "/": True, "/api/ws": True}
    finally:
        Handler.stopped = 0
        host.shutdown(timeout=1)
    assert Handler.stopped == 2
