"""The ASGI app in front of Plue's WSGI app: WebSockets here, HTTP to the thread pool."""

from __future__ import annotations

from hosts.websocket import session
from hosts.websocket.feed import ChangeFeed
from hosts.websocket.slots import ConnectionSlots

WEBSOCKET_PATH = "/api/ws"
# The seed's limit: "WebSocket connections: 10 concurrent connections per user".
CONNECTIONS_PER_USER = 10


class PlueASGI:
    """Routes by scope type; ``wsgi_app`` is the Falcon app (its ``plue`` context is shared)."""

    def __init__(self, wsgi_app, http_app):
        self.ctx = wsgi_app.plue
        self.http_app = http_app
        self.feed = ChangeFeed(self.ctx)
        self.slots = ConnectionSlots(self.ctx.config.data_path / "run" / "websocket",
                                     CONNECTIONS_PER_USER)
        self.enabled = "runnerhub" in self.ctx.plugins.names

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            await self.http_app(scope, receive, send)
        elif scope["type"] == "websocket":
            if self.enabled and scope["path"].rstrip("/") == WEBSOCKET_PATH:
                await session.serve(self.ctx, self.feed, self.slots, scope, receive, send)
            else:  # closing before accepting refuses the handshake (HTTP 403)
                await send({"type": "websocket.close", "code": 1008})
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.feed.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return
