"""gunicorn settings for Plue. See docs/serving.md for the worker: gunicorn's gthread worker
that also serves the WebSocket ``/api/ws`` (hosts/worker.py).

The WSGI app is built once in the master (``preload_app``) and the workers fork from it,
sharing its pages: the tree's idle PSS 195 -> 140 MB (docs/serving.md, Performance). That is
safe because building the app opens no database connection and starts no thread
(tests/hosts/test_preload_safety.py): each worker connects and starts its threads itself.
With ``scheduler.mode = "serve"`` the master starts one ``plue scheduler`` child process
beside the workers and stops it on exit, so scheduled jobs run once per deployment, never
once per worker. Likewise, with ``daemons.mode = "serve"``, one ``plue daemons`` child: the
plugins' long-running services (``register_daemons``, e.g. the SSH listener) run there, once;
it exits at once when no plugin has any.
"""

import subprocess
import sys

from plue_core.config import load_config

_config = load_config()
_server = _config.server

bind = _server["bind"]  # PLUE_BIND included: load_config reads it
workers = _server["workers"]
worker_class = "plue_hosts.worker.PlueWorker"
preload_app = True
# Threads are cheap while they wait: runner long-polls hold one each for a bounded time.
threads = _server["threads"]
timeout = _server["timeout"]
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = _config.log_level.lower()
forwarded_allow_ips = "127.0.0.1"
# gunicorn 27's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), so
# two Plue instances on one machine would take it from each other; Plue does not use it.
control_socket_disable = True

_scheduler = None
_daemons = None


def when_ready(server):
    global _scheduler, _daemons
    # The URL every link in a body uses: base_url, or derived from the bind address.
    server.log.info("Plue at %s", _config.base_url)
    if _config.scheduler["mode"] == "serve":
        _scheduler = subprocess.Popen([sys.executable, "-m", "plue_core.cli", "scheduler"])
        server.log.info("started scheduler process %s", _scheduler.pid)
    if _config.daemons["mode"] == "serve":
        _daemons = subprocess.Popen([sys.executable, "-m", "plue_core.cli", "daemons"])
        server.log.info("started daemons process %s", _daemons.pid)


def on_exit(server):
    for child in (_scheduler, _daemons):
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
