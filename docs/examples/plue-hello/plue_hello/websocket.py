"""``/api/v1/hello/echo``: a WebSocket endpoint of a third-party plugin. Plue's gunicorn worker
serves it beside the HTTP API (hook ``register_websocket_endpoints``, docs/hooks.md); the
plugin only says what a connection does: greet the signed-in user and echo each message."""

from __future__ import annotations

import asyncio

from plue_core.websockets import HandshakeRefused, WebSocketEndpoint, handshake_identity


class Echo:
    """The endpoint's handler: one per worker process."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.open = set()

    async def serve(self, environ, receive, send):
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        try:
            identity = await asyncio.to_thread(handshake_identity, self.ctx, environ)
        except HandshakeRefused as refused:
            await send({"type": "websocket.close", "code": 4401, "reason": refused.message})
            return
        self.open.add(send)
        try:
            while (message := await receive())["type"] == "websocket.receive":
                await send({"type": "websocket.send",
                            "text": f"{identity.username}: {message.get('text')}"})
        finally:
            self.open.discard(send)

    async def stop(self):
        """The worker is stopping: tell each client to reconnect elsewhere."""
        for send in list(self.open):
            await send({"type": "websocket.close", "code": 1001})


ENDPOINT = WebSocketEndpoint("/api/v1/hello/echo", Echo)
