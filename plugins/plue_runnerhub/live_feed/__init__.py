"""RunnerHub's live feed, the WebSocket ``/api/ws`` (seed 002): job and runner status changes
and system alerts, each to the users who may see them. The plugin declares the endpoint with
``register_websocket_endpoints``; Plue's gunicorn worker (plue_hosts.worker) owns the sockets
and hands each connection to :class:`~plue_runnerhub.live_feed.endpoint.LiveFeed`.

- ``endpoint.py``: the per-worker handler (one change feed, the per-user slots, the sessions);
- ``session.py``: one connection's message protocol (subscribe, unsubscribe, ping, errors);
- ``feed.py``: the per-worker change feed asking its sources once a second;
- ``changes.py``, ``external_changes.py``, ``alerts.py``: the sources.

See docs/websocket.md."""
