"""gunicorn settings for Plue. See docs/serving.md for the worker: gunicorn's gthread worker
that also serves the WebSocket ``/api/ws`` (hosts/worker.py).

The WSGI app is built once in the master (``preload_app``) and the workers fork from it,
sharing its pages: the tree's idle PSS 195 -> 140 MB (docs/serving.md, Performance). That is
safe because building the app opens no database connection and starts no thread
(tests/hosts/test_preload_safety.py): each worker connects and starts its threads itself.
Beside the workers the master forks ONE child process, after preloading, and stops it on exit
(plue_hosts.background): with ``daemons.mode = "serve"`` the plugins' long-running services
(``register_daemons``, e.g. the SSH listener) run there once, not once per worker; with
``scheduler.mode = "serve"`` the scheduled jobs run once per deployment, in that same child
(titled ``plue daemons --with-scheduler``) or, without daemons, in a ``plue scheduler`` child.
One child rather than two, forked rather than a fresh interpreter: docs/serving.md, Memory.
"""

import gc

from plue_core.config import load_config
from plue_hosts import background, heap, open_files

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
# gunicorn's access lines, each built from only the atoms the format names (the full set of
# atoms was a quarter of a light request's Python time: plue_hosts.access_log).
logger_class = "plue_hosts.access_log.AccessLogger"
errorlog = "-"
loglevel = _config.log_level.lower()
forwarded_allow_ips = "127.0.0.1"
# gunicorn 27's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), so
# two Plue instances on one machine would take it from each other; Plue does not use it.
control_socket_disable = True
# Process titles (setproctitle): "gunicorn: master [plue]", "gunicorn: worker [plue]".
proc_name = "plue"


def when_ready(server):
    # The URL every link in a body uses: base_url, or derived from the bind address.
    server.log.info("Plue at %s", _config.base_url)
    # The preloaded app's objects move to a generation the collector never scans, so its
    # passes in the forked processes do not write to (and copy) the pages they share.
    gc.freeze()
    # Every process forked from here keeps its threads to two malloc arenas (plue_hosts.heap).
    heap.limit_arenas()
    # Kept-open repositories hold pack files: every process may open what the system allows.
    before, after = open_files.raise_soft_limit()
    if after != before:
        server.log.info("open files limit raised from %d to %d", before, after)
    # What building the app freed goes back to the kernel before the forks map it.
    heap.release_free_memory()
    background.ensure(server, _config)


def on_reload(server):
    # HUP: gunicorn re-ran this file (a fresh _config); the child starts again if it died.
    background.ensure(server, _config)


def on_exit(server):
    background.stop()
