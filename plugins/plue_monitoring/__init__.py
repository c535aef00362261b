"""Plue plugin `monitoring`: Prometheus /metrics, RunnerHub's /api/metrics and dashboard,
request metrics and RunnerHub rate limits (as Falcon middleware)."""
