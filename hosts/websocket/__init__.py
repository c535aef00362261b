"""The socket plumbing of the plugins' WebSocket endpoints (served beside gthread,
hosts/worker.py): the RFC 6455 handshake, the per-worker asyncio loop that adopts the sockets,
and the worker's going-away on stop. What is said on a connection belongs to the plugin that
declared the endpoint (plue_core.websockets; RunnerHub's /api/ws: plue_runnerhub.live_feed)."""
