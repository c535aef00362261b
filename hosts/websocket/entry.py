"""The WebSocket side of a Plue worker (hosts/worker.py): one asyncio loop on its own thread,
which adopts the sockets of handshakes to the plugins' WebSocket endpoints (hook
``register_websocket_endpoints``, plue_core.websockets) that gthread parsed, and runs each
connection there with gunicorn's RFC 6455 implementation (the same frames, close handshake
and limits as gunicorn's own asgi worker), calling the endpoint's handler with ASGI messages.
An idle connection costs a coroutine, not a thread. What a connection says is the plugin's;
this module knows no endpoint by name."""

from __future__ import annotations

import asyncio
import base64
import binascii
import threading

from gunicorn.asgi.protocol import FlowControl
from gunicorn.asgi.websocket import WebSocketProtocol

# Client messages are small JSON commands; an endpoint answers longer ones politely, and a
# frame over this size closes the connection (1009).
MAX_FRAME_MESSAGE = 1024 * 1024


def refusal(headers: list[tuple[str, str]]) -> bytes | None:
    """The HTTP answer to a handshake this server cannot accept (RFC 6455 section 4.2.2: a
    version other than 13 is a 426 naming ours, a key that is not 16 base64 bytes a 400)."""
    found = {name: value.strip() for name, value in headers
             if name in ("SEC-WEBSOCKET-VERSION", "SEC-WEBSOCKET-KEY")}
    if found.get("SEC-WEBSOCKET-VERSION") != "13":
        return (b"HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n")
    try:
        valid = len(base64.b64decode(found.get("SEC-WEBSOCKET-KEY", ""), validate=True)) == 16
    except (ValueError, binascii.Error):
        valid = False
    if not valid:
        return b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    return None


def websocket_scope(req, client, server) -> dict:
    """The ASGI scope gunicorn's WebSocket implementation reads (headers for the accept key)."""
    return {"type": "websocket", "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": f"{req.version[0]}.{req.version[1]}", "scheme": "ws",
            "path": req.path, "query_string": (req.query or "").encode("latin-1"),
            "headers": [(name.lower().encode("latin-1"), value.encode("latin-1"))
                        for name, value in req.headers],
            "client": client if isinstance(client, tuple) else None,
            "server": server if isinstance(server, tuple) else None, "subprotocols": []}


class _Bridge(asyncio.Protocol):
    """Feeds the adopted socket's bytes to the WebSocket protocol and its flow control."""

    def __init__(self, make_websocket, pipelined: bytes):
        self.make_websocket = make_websocket
        self.pipelined = pipelined
        self.websocket: WebSocketProtocol | None = None
        self.flow: FlowControl | None = None

    def connection_made(self, transport):
        self.flow = FlowControl(transport)
        self.websocket = self.make_websocket(transport, self.flow.drain)
        if self.pipelined:  # frames the client sent right behind its handshake
            self.websocket.feed_data(self.pipelined)

    def data_received(self, data):
        self.websocket.feed_data(data)

    def eof_received(self):
        self.websocket.feed_eof()
        return False

    def connection_lost(self, exc):
        self.websocket.feed_eof()
        self.flow.resume_writing()  # a sender waiting to drain must see the close

    def pause_writing(self):
        self.flow.pause_writing()

    def resume_writing(self):
        self.flow.resume_writing()


def endpoint_key(path: str) -> str:
    """The declared path a request path asks for: a trailing slash is ignored (``/`` stays)."""
    return path.rstrip("/") or "/"


class WebSocketHost:
    """One per worker process: the loop thread and each endpoint's handler, by path."""

    def __init__(self, ctx, log):
        self.ctx = ctx
        self.log = log
        self.handlers = {path: endpoint.open(ctx)
                         for path, (_, endpoint) in ctx.websocket_endpoints.items()}
        self.connections: set[asyncio.Task] = set()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="plue-websocket",
                                       daemon=True)
        self.thread.start()

    def serves(self, path: str) -> bool:
        return endpoint_key(path) in self.handlers

    def adopt(self, sock, req, environ: dict, client, server, pipelined: bytes) -> None:
        """Take over ``sock`` after the handshake ``req`` (called on a request thread)."""
        handler = self.handlers[endpoint_key(req.path)]
        scope = websocket_scope(req, client, server)
        self.loop.call_soon_threadsafe(self._start, handler, sock, scope, environ, pipelined)

    def _start(self, handler, sock, scope, environ, pipelined) -> None:
        task = self.loop.create_task(self._connection(handler, sock, scope, environ, pipelined))
        self.connections.add(task)
        task.add_done_callback(self.connections.discard)

    async def _connection(self, handler, sock, scope, environ, pipelined) -> None:
        async def app(scope, receive, send):
            await handler.serve(environ, receive, send)

        def make_websocket(transport, drain):
            return WebSocketProtocol(transport, scope, app, self.log,
                                     max_message_size=MAX_FRAME_MESSAGE, drain=drain)

        bridge = _Bridge(make_websocket, pipelined)
        try:
            transport, _ = await self.loop.connect_accepted_socket(lambda: bridge, sock=sock)
        except OSError:
            sock.close()
            return
        try:
            await bridge.websocket.run()
        finally:
            transport.close()

    def shutdown(self, timeout: float) -> None:
        """Stop every handler (each closes its connections with 1001, going away), wait for
        the connections to end, stop the loop."""
        try:
            asyncio.run_coroutine_threadsafe(self._close_all(timeout), self.loop).result(timeout + 1)
        except Exception:  # a stopping worker must stop whatever happened here
            self.log.exception("closing WebSocket connections failed")
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=1)

    async def _close_all(self, timeout: float) -> None:
        for path, handler in self.handlers.items():
            try:
                await handler.stop()
            except Exception:  # one endpoint's failure must not keep the others' sockets open
                self.log.exception("stopping WebSocket endpoint %s failed", path)
        if self.connections:
            await asyncio.wait(list(self.connections), timeout=timeout)
