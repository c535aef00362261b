"""The part of the request path every request takes, kept cheap: the API family found by one
match, a request id made without building a UUID, the request metrics' labelled children
looked up once per label set (docs/serving.md, "The common path and the tail")."""

from __future__ import annotations

import re

import prometheus_client
import pytest
from prometheus_client.metrics import MetricWrapperBase

from plue_core import families
from plue_monitoring.request_metrics import RequestMetrics


@pytest.mark.parametrize("path, family", [
    ("/api/v1", families.GITEA), ("/api/v1/", families.GITEA),
    ("/api/v1/repos/a/b", families.GITEA),
    ("/api/v1x", families.RUNNERHUB),  # /api/v1 is not a prefix of it; /api is
    ("/api/actions/runner.v1.RunnerService/FetchTask", families.RUNNER_PROTOCOL),
    ("/api/actionsx", families.RUNNERHUB),
    ("/api/repos/7", families.TRACKED_REPOS), ("/api/repos", families.TRACKED_REPOS),
    ("/api", families.RUNNERHUB), ("/api/jobs", families.RUNNERHUB),
    ("/health", families.RUNNERHUB), ("/metrics", families.RUNNERHUB),
    ("/healthz", families.DEFAULT), ("/apis", families.DEFAULT),
    ("/auth/login", families.PILOT), ("/org", families.PILOT), ("/org/x", families.PILOT),
    ("/organization", families.DEFAULT), ("/common/x", families.PILOT),
    ("/onboarding", families.PILOT), ("/", families.DEFAULT), ("", families.DEFAULT),
    ("/alice/repo.git/info/refs", families.DEFAULT), ("/-/plugins", families.DEFAULT),
    # A decoded %0A ends no prefix (a regex's $ would match before it).
    ("/api/v1\n", families.RUNNERHUB), ("/health\n", families.DEFAULT),
])
def test_a_path_belongs_to_the_family_of_its_most_specific_prefix(path, family):
    assert families.family_of(path) is family


def test_a_made_request_id_is_sixteen_random_hex_digits(build_client):
    client = build_client()
    made = {client.simulate_get("/api/v1/version").headers["X-Request-Id"] for _ in range(50)}
    assert len(made) == 50
    assert all(re.fullmatch(r"req_[0-9a-f]{16}", made_id) for made_id in made)


def test_request_metrics_look_each_label_set_up_once(monkeypatch):
    looked_up = []
    labels = MetricWrapperBase.labels

    def counting(self, *args, **kwargs):
        looked_up.append(kwargs)
        return labels(self, *args, **kwargs)

    monkeypatch.setattr(MetricWrapperBase, "labels", counting)
    registry = prometheus_client.CollectorRegistry()
    metrics = RequestMetrics(lambda: registry)
    for _ in range(5):
        metrics.observe("gitea", "GET", 200, 0.01)
    metrics.observe("gitea", "GET", 404, 0.02)
    metrics.observe("gitea", "POST", 200, None)

    # One request counter child and one latency child per label set, not per request.
    assert len(looked_up) == 6
    value = registry.get_sample_value
    assert value("plue_http_requests_total", {"family": "gitea", "method": "GET",
                                              "status": "200"}) == 5
    assert value("plue_http_requests_total", {"family": "gitea", "method": "GET",
                                              "status": "404"}) == 1
    assert value("plue_http_requests_total", {"family": "gitea", "method": "POST",
                                              "status": "200"}) == 1
    assert value("plue_http_request_duration_seconds_count", {"family": "gitea"}) == 6
    assert metrics.last_minute()[0] == 7
