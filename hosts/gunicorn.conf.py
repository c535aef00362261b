"""gunicorn settings for Plue. See docs/serving.md for the worker: gunicorn's gthread worker
that also serves the WebSocket ``/api/ws`` (hosts/worker.py).

The WSGI app is built once in the master (``preload_app``) and the workers fork from it,
sharing its pages: the tree's idle PSS 195 -> 140 MB (docs/serving.md, Performance). That is
safe because building the app opens no database connection and starts no thread
(tests/hosts/test_preload_safety.py): each worker connects and starts its threads itself.
Beside the workers the master starts ONE child process and stops it on exit: with
``daemons.mode = "serve"`` a ``plue daemons`` child, where the plugins' long-running services
(``register_daemons``, e.g. the SSH listener) run once, not once per worker; with
``scheduler.mode = "serve"`` the scheduled jobs run once per deployment, in that same child
(``plue daemons --with-scheduler``) or, without daemons, in a ``plue scheduler`` child. One
child rather than two saves a whole interpreter (docs/serving.md, Memory).
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

_background = None


def background_command(config) -> list[str] | None:
    """The ``plue`` command of the one child process beside the workers: the daemons, the
    scheduler, or both in one process (a whole interpreter less: docs/serving.md, Memory)."""
    daemons = config.daemons["mode"] == "serve"
    scheduler = config.scheduler["mode"] == "serve"
    if daemons:
        return ["daemons", "--with-scheduler"] if scheduler else ["daemons"]
    return ["scheduler"] if scheduler else None


def when_ready(server):
    global _background
    # The URL every link in a body uses: base_url, or derived from the bind address.
    server.log.info("Plue at %s", _config.base_url)
    command = background_command(_config)
    if command:
        _background = subprocess.Popen([sys.executable, "-m", "plue_core.cli", *command])
        server.log.info("started %s process %s", " ".join(command), _background.pid)


def on_exit(server):
    if _background is not None and _background.poll() is None:
        _background.terminate()
        try:
            _background.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _background.kill()
