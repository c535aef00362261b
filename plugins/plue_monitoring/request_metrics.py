"""HTTP request metrics of this worker: Prometheus counters and a latency histogram per API
family and status (in the app's own registry, never the global one), and a one-minute window
for RunnerHub's ``api_requests_per_minute`` and ``average_response_time``.

Counts are per process: each gunicorn worker keeps its own (docs/monitoring.md)."""

from __future__ import annotations

import collections
import threading
import time
from typing import Callable

import falcon

from plue_core import families

WINDOW_SECONDS = 60
# Held long polls (the runner protocol's FetchTask) wait by design: not response time.
_NOT_TIMED = {families.RUNNER_PROTOCOL.name}


class RequestMetrics:
    """The app's request counters; thread-safe (gunicorn's threads share one app)."""

    def __init__(self, registry: Callable):
        self._registry = registry  # the app's registry, made on first use (service.py)
        self._counters = None  # (requests, latency), on the first request
        # Each label set's child, looked up once: prometheus' labels() takes a lock and
        # checks its arguments on every call (a fifth of a cheap request's own work).
        self._children: dict[tuple, tuple] = {}
        # The last minute in one-second buckets ``[second, requests, timed, seconds timed]``:
        # at most WINDOW_SECONDS + 1 of them whatever the rate (a tuple per request held
        # 60 s of traffic: ≈ 1 MB a worker at 150 req/s, growing with the rate).
        self._recent: collections.deque[list] = collections.deque()
        self._lock = threading.Lock()

    def _made(self) -> tuple:
        if self._counters is None:
            with self._lock:
                if self._counters is None:
                    from prometheus_client import Counter, Histogram

                    registry = self._registry()
                    self._counters = (
                        Counter("plue_http_requests", "HTTP requests answered by this worker",
                                ["family", "method", "status"], registry=registry),
                        Histogram("plue_http_request_duration_seconds",
                                  "Time to produce a response (streamed bodies excluded)",
                                  ["family"], registry=registry))
        return self._counters

    def observe(self, family: str, method: str, status: int, seconds: float | None) -> None:
        """Count one answered request; ``seconds`` is None when its start was not seen."""
        children = self._children.get((family, method, status))
        if children is None:
            children = self._children_of(family, method, status)
        children[0].inc()
        if seconds is not None:
            children[1].observe(seconds)
        timed = seconds is not None and family not in _NOT_TIMED
        second = int(time.monotonic())
        with self._lock:
            if not self._recent or self._recent[-1][0] != second:
                self._recent.append([second, 0, 0, 0.0])
                self._forget(second)
            bucket = self._recent[-1]
            bucket[1] += 1
            if timed:
                bucket[2] += 1
                bucket[3] += seconds

    def _children_of(self, family: str, method: str, status: int) -> tuple:
        requests, latency = self._made()
        children = (requests.labels(family=family, method=method, status=str(status)),
                    latency.labels(family=family))
        # Methods come from clients: only gunicorn's limit on a method's length bounds them,
        # so past a few hundred label sets the children are looked up each time again.
        if len(self._children) < 512:
            self._children[(family, method, status)] = children
        return children

    def _forget(self, second: int) -> None:
        while self._recent and second - self._recent[0][0] > WINDOW_SECONDS:
            self._recent.popleft()

    def last_minute(self) -> tuple[int, float | None]:
        """Requests answered in the last 60 s (counted by whole seconds: the current one and
        the 60 before it), and their mean time in milliseconds (None when there were none to
        time)."""
        with self._lock:
            self._forget(int(time.monotonic()))
            count = sum(bucket[1] for bucket in self._recent)
            timed = sum(bucket[2] for bucket in self._recent)
            total = sum(bucket[3] for bucket in self._recent)
        return count, (round(total / timed * 1000, 1) if timed else None)


class RequestMetricsMiddleware:
    def __init__(self, metrics: RequestMetrics):
        self.metrics = metrics

    def process_request(self, req, resp):
        req.context.monitoring_started = time.perf_counter()

    def process_response(self, req, resp, resource, req_succeeded):
        # A request refused by the core's middleware (bad credentials, 401) never reached
        # process_request here: it is counted, not timed.
        started = getattr(req.context, "monitoring_started", None)
        status = falcon.http_status_to_code(resp.status)
        self.metrics.observe(families.family_of_request(req).name, req.method, status,
                             None if started is None else time.perf_counter() - started)
