"""The one-minute request window (RunnerHub's ``api_requests_per_minute`` and
``average_response_time``) holds per-second counts, not an entry per request: its size is
bounded whatever the rate, so a busy worker's memory does not grow with its traffic (issue 13,
a worker's RSS flat; docs/serving.md, Memory)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from plue_monitoring import request_metrics
from plue_monitoring.request_metrics import WINDOW_SECONDS, RequestMetrics


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_window_keeps_one_bucket_a_second_whatever_the_rate(monkeypatch):
    clock = _Clock(1000.0)
    monkeypatch.setattr(request_metrics.time, "monotonic", clock)
    metrics = RequestMetrics(CollectorRegistry)
    for _ in range(300):  # five minutes at 200 requests a second
        for _ in range(200):
            metrics.observe("gitea", "GET", 200, 0.004)
        clock.now += 1
    assert len(metrics._recent) <= WINDOW_SECONDS + 1
    count, mean_ms = metrics.last_minute()
    assert count == 200 * WINDOW_SECONDS  # the 60 seconds before this one, which has none
    assert mean_ms == 4.0


def test_the_window_counts_the_last_minute_and_times_only_what_it_times(monkeypatch):
    clock = _Clock(5000.0)
    monkeypatch.setattr(request_metrics.time, "monotonic", clock)
    metrics = RequestMetrics(CollectorRegistry)
    metrics.observe("gitea", "GET", 200, 0.010)
    clock.now += WINDOW_SECONDS + 2  # that one is past the minute now
    metrics.observe("gitea", "GET", 200, 0.002)
    metrics.observe("gitea", "GET", 401, None)  # refused before it was timed: counted only
    metrics.observe(request_metrics.families.RUNNER_PROTOCOL.name, "POST", 200, 30.0)  # a held poll
    assert metrics.last_minute() == (3, 2.0)
    clock.now += WINDOW_SECONDS + 2
    assert metrics.last_minute() == (0, None)
    assert len(metrics._recent) == 0
