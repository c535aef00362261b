"""The host's CPU reading is meaningful from a process's first one: psutil is imported with it
(not with the app: docs/serving.md, Memory), so nothing primed ``cpu_percent`` before, and the
first reading samples a short interval instead of answering psutil's 0.0; later readings
measure since the previous one, without waiting."""

from __future__ import annotations

import psutil

from plue_monitoring import system_metrics


def test_the_first_cpu_reading_samples_and_the_next_ones_measure_since_the_previous(monkeypatch):
    intervals = []

    def cpu_percent(interval=None):
        intervals.append(interval)
        return 12.5

    monkeypatch.setattr(psutil, "cpu_percent", cpu_percent)
    monkeypatch.setattr(system_metrics, "_primed", False)
    assert [system_metrics.cpu_usage() for _ in range(3)] == [12.5, 12.5, 12.5]
    assert intervals == [system_metrics.FIRST_SAMPLE_SECONDS, None, None]


def test_a_fresh_reading_is_a_percentage(monkeypatch, tmp_path):
    monkeypatch.setattr(system_metrics, "_primed", False)
    assert 0 <= system_metrics.cpu_usage() <= 100
    assert 0 < system_metrics.memory_usage() <= 100
    assert 0 <= system_metrics.disk_usage(tmp_path) <= 100
    assert system_metrics.uptime() > 0
