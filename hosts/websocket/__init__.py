"""RunnerHub's WebSocket ``/api/ws`` under the ASGI host (hosts/asgi.py): the handshake and its
authentication, per-user connection slots, one connection's message protocol, and the
per-process change feed that turns database changes into events. See docs/websocket.md."""
