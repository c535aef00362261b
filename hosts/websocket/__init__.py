"""RunnerHub's WebSocket ``/api/ws`` (served beside gthread, hosts/worker.py): the handshake and its
authentication, per-user connection slots, one connection's message protocol, and the
per-process change feed that turns database changes into events. See docs/websocket.md."""
