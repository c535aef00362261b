"""gunicorn settings for Plue. See docs/serving.md for the worker: gunicorn's gthread worker
that also serves the WebSocket ``/api/ws`` (hosts/worker.py).

The WSGI app is built once in the master (``preload_app``) and the workers fork from it,
sharing its pages: the tree's idle PSS 195 -> 140 MB (docs/serving.md, Performance). That is
safe because building the app opens no database connection and starts no thread
(tests/hosts/test_preload_safety.py): each worker connects and starts its threads itself.
With ``scheduler.mode = "serve"`` the master starts one ``plue scheduler`` child process
beside the workers and stops it on exit, so scheduled jobs run once per deployment, never
once per worker.
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


def when_ready(server):
    global _scheduler
    # The URL every link in a body uses: base_url, or derived from the bind address.
    server.log.info("Plue at %s", _config.base_url)
    if _config.scheduler["mode"] == "serve":
        _scheduler = subprocess.Popen([sys.executable, "-m", "plue_core.cli", "scheduler"])
        server.log.info("started scheduler process %s", _scheduler.pid)


def on_exit(server):
    if _scheduler is not None and _scheduler.poll() is None:
        _scheduler.terminate()
        try:
            _scheduler.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _scheduler.kill()
