"""gunicorn's ASGI entry point (``[server] worker = "asgi"``): ``hosts.asgi:app``.

``/api/ws`` is served natively with asyncio (hosts/websocket/); every other request goes to
the same synchronous Falcon WSGI app as under gthread, run in a thread pool of
``server.threads`` threads by a2wsgi. See docs/serving.md and docs/websocket.md."""

from a2wsgi import WSGIMiddleware

from hosts.websocket.entry import PlueASGI
from plue_core import create_app
from plue_core.config import load_config

_wsgi = create_app(load_config())
app = PlueASGI(_wsgi, WSGIMiddleware(_wsgi, workers=_wsgi.plue.config.server["threads"]))
