"""``/api/ws`` as a WebSocket endpoint (plue_core.websockets): one :class:`LiveFeed` per
worker process holds the change feed, the per-user connection slots and the open sessions."""

from __future__ import annotations

from plue_core.websockets import ConnectionSlots, WebSocketEndpoint

from plue_runnerhub.live_feed import session
from plue_runnerhub.live_feed.feed import ChangeFeed

PATH = "/api/ws"
# The seed's limit: "WebSocket connections: 10 concurrent connections per user".
CONNECTIONS_PER_USER = 10


class LiveFeed:
    """The handler of ``/api/ws`` in one worker process."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.feed = ChangeFeed(ctx)
        self.slots = ConnectionSlots(ctx.config.data_path / "run" / "websocket",
                                     CONNECTIONS_PER_USER)
        self.sessions: set[session.Session] = set()

    async def serve(self, environ: dict, receive, send) -> None:
        await session.serve(self.ctx, self.feed, self.slots, self.sessions, environ,
                            receive, send)

    async def stop(self) -> None:
        """Tell every client the server is going away (1001) so it reconnects elsewhere."""
        for connection in list(self.sessions):
            connection.close(1001, "server restarting: reconnect")
        await self.feed.stop()


ENDPOINT = WebSocketEndpoint(PATH, LiveFeed)
