"""What bench/tail.py records inside each server process, to say where a request's time went.

``install(directory, timed)`` runs from the ``sitecustomize`` bench/tail.py gives each server
(so in the gunicorn master, before the app is built; the workers inherit it when they fork). It
appends to one file per process in ``directory``:

- ``gc.<pid>``: one line per collection of the cyclic collector, ``<generation> <µs> <CPU µs>``
  (``gc.callbacks``; the CPU time is the collecting thread's, which the machine's load does not
  stretch), so the collections per 10,000 requests and their pauses can be counted;
- ``request.<pid>``: one line per request a worker answered,
  ``<queue µs> <service µs> <main µs>``: the wait in the thread pool's queue (gthread's
  ``enqueue_req`` to the start of ``handle``), the request thread's work (reading, the app,
  writing the answer), and the wait for the worker's main thread to take the finished
  connection back (``finish_request``; it needs the GIL);
- ``timed.<pid>``: ``<name> <µs>`` per call of each function named in ``timed``
  (``module:function``), wrapped where its module holds it.

``read(directory, offsets)`` returns what was appended since ``offsets`` (updated in place).
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import pathlib
import time

_FLUSH_EVERY = 0.25  # s: a round's lines are on disk well before bench/tail.py reads them


class _Appender:
    """A per-process, buffered file of lines (a forked child opens its own)."""

    def __init__(self, directory: str, prefix: str):
        self.directory, self.prefix = directory, prefix
        self.pid, self.file, self.flushed = None, None, 0.0
        # A child must not inherit unwritten lines: it would write them into its parent's file.
        os.register_at_fork(before=self.flush)

    def flush(self) -> None:
        if self.file is not None and self.pid == os.getpid():
            self.file.flush()

    def write(self, line: str) -> None:
        pid = os.getpid()
        if self.pid != pid:
            self.pid = pid
            self.file = open(os.path.join(self.directory, f"{self.prefix}.{pid}"), "a")
        self.file.write(line)
        now = time.monotonic()
        if now - self.flushed > _FLUSH_EVERY:
            self.file.flush()
            self.flushed = now


def install(directory: str, timed: tuple[str, ...] = ()) -> None:
    _record_collections(_Appender(directory, "gc"))
    _record_requests(_Appender(directory, "request"))
    calls = _Appender(directory, "timed")
    for name in timed:
        _record_calls(name, calls)


def _record_collections(out: _Appender) -> None:
    started = [0.0, 0.0]

    def on_collection(phase, info):
        if phase == "start":
            started[:] = time.perf_counter(), time.thread_time()
        else:
            out.write(f"{info['generation']} {(time.perf_counter() - started[0]) * 1e6:.0f} "
                      f"{(time.thread_time() - started[1]) * 1e6:.0f}\n")

    gc.callbacks.append(on_collection)


def _record_requests(out: _Appender) -> None:
    from plue_hosts.worker import PlueWorker

    enqueue, handle, finish = (PlueWorker.enqueue_req, PlueWorker.handle,
                               PlueWorker.finish_request)

    def enqueue_req(self, conn):
        conn.probe_times = [time.perf_counter(), 0.0, 0.0]
        return enqueue(self, conn)

    def timed_handle(self, conn):
        times = getattr(conn, "probe_times", None)
        if times is not None:
            times[1] = time.perf_counter()
        try:
            return handle(self, conn)
        finally:
            if times is not None:
                times[2] = time.perf_counter()

    def finish_request(self, conn, fs):
        times = getattr(conn, "probe_times", None)
        if times is not None and times[2]:
            queued, started, ended = times
            out.write(f"{(started - queued) * 1e6:.0f} {(ended - started) * 1e6:.0f} "
                      f"{(time.perf_counter() - ended) * 1e6:.0f}\n")
            conn.probe_times = None
        return finish(self, conn, fs)

    PlueWorker.enqueue_req, PlueWorker.handle = enqueue_req, timed_handle
    PlueWorker.finish_request = finish_request


def freeze_after(requests: int) -> None:
    """Each worker moves every object it holds to the collector's permanent generation once,
    after its ``requests``-th request (an experiment of bench/tail.py's ``freeze`` setting)."""
    from plue_hosts.worker import PlueWorker

    finish = PlueWorker.finish_request
    answered = [0]

    def finish_request(self, conn, fs):
        answered[0] += 1
        if answered[0] == requests:
            gc.freeze()
        return finish(self, conn, fs)

    PlueWorker.finish_request = finish_request


def _record_calls(name: str, out: _Appender) -> None:
    module_name, _, attribute = name.partition(":")
    module = importlib.import_module(module_name)
    function = getattr(module, attribute)

    @functools.wraps(function)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            out.write(f"{name} {(time.perf_counter() - started) * 1e6:.0f}\n")

    setattr(module, attribute, timed)


def read(directory: pathlib.Path, offsets: dict) -> dict[str, list[list[str]]]:
    """The lines appended to each kind of file (``gc``, ``request``, ``timed``) since
    ``offsets``, split into fields; complete lines only."""
    found: dict[str, list[list[str]]] = {"gc": [], "request": [], "timed": []}
    for path in sorted(directory.glob("*.*")):
        kind = path.name.split(".", 1)[0]
        if kind not in found:
            continue
        with open(path, "rb") as file:
            file.seek(offsets.get(path, 0))
            data = file.read()
        complete = data[:data.rfind(b"\n") + 1]
        offsets[path] = offsets.get(path, 0) + len(complete)
        # A line cut by a process killed while writing is skipped, not a failed round.
        found[kind].extend(fields for fields in (
            line.split() for line in complete.decode(errors="replace").splitlines())
            if all(field.isdigit() or ":" in field for field in fields))
    return found
