"""The part of the request path every request takes, kept cheap: the API family found by one
match, a request id made without building a UUID, the request metrics' labelled children
looked up once per label set (docs/serving.md, "The common path and the tail")."""

from __future__ import annotations

import re

import falcon.testing
import prometheus_client
import pytest
from prometheus_client.metrics import MetricWrapperBase

from plue_core import families, hookimpl
from plue_core.identity import Identity
from plue_core.middleware import AuthenticationMiddleware
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


def test_the_family_is_found_once_per_request(build_client, monkeypatch):
    # Asked by the family headers, the metrics, the rate limiter, the web face and error
    # bodies: found by the first and kept on the request's context.
    client = build_client()
    found = []
    family_of = families.family_of
    monkeypatch.setattr(families, "family_of", lambda path: found.append(path) or family_of(path))
    answers = {path: client.simulate_get(path) for path in
               ("/api/v1/version", "/api/v1/nowhere", "/api/jobs", "/health", "/nowhere")}
    assert [answers[path].status_code for path in answers] == [200, 404, 401, 200, 404]
    assert answers["/api/jobs"].headers["API-Version"] == "2.0"  # RunnerHub's, on its error too
    assert "message" in answers["/api/v1/nowhere"].json  # Gitea's APIError
    assert found == list(answers)


class _Answering:
    """An ``authenticate`` implementation answering for the user named in ``X-Test-Who``."""

    def __init__(self, name: str, answer_when: str):
        self.name, self.answer_when = name, answer_when

    def answer(self, req):
        if req.get_header("X-Test-Who") in (self.answer_when, "everyone"):
            return Identity(user_id=0, username=self.name, scopes=frozenset(), method="test")
        return None


def _plugin(answering: _Answering, **marks):
    class Plugin:
        PLUE_NAME = f"answering-{answering.name}"

        @hookimpl(**marks)
        def authenticate(self, req):  # only the request: pluggy passes what is named
            return answering.answer(req)
    return Plugin()


def _ctx_first_plugin(answering: _Answering):
    class Plugin:
        PLUE_NAME = f"answering-{answering.name}"

        @hookimpl
        def authenticate(self, req, ctx):  # the hook's arguments in another order
            assert ctx.config is not None
            return answering.answer(req)
    return Plugin()


def test_authenticate_gives_pluggys_answer_without_pluggys_call_per_request(build_client,
                                                                             monkeypatch):
    client = build_client(_plugin(_Answering("last", "last"), trylast=True),
                          _plugin(_Answering("plain", "plain")),
                          _ctx_first_plugin(_Answering("reordered", "reordered")),
                          _plugin(_Answering("first", "first"), tryfirst=True))
    ctx = client.app.plue
    authenticate = next(component for component in client.app._unprepared_middleware
                        if isinstance(component, AuthenticationMiddleware)).authenticate

    def who(header: str) -> str | None:
        req = falcon.testing.create_req(headers={"X-Test-Who": header})
        answer = authenticate(req)
        assert answer == ctx.plugins.hook.authenticate(ctx=ctx, req=req)
        return answer and answer.username

    # tryfirst before the rest; among plain ones the last registered first; trylast last
    assert who("everyone") == "first"
    assert [who(name) for name in ("plain", "reordered", "last")] == ["plain", "reordered", "last"]
    assert who("nobody") is None

    called = []
    monkeypatch.setattr(ctx.plugins.hook, "authenticate", lambda **kwargs: called.append(kwargs))
    assert client.simulate_get("/api/v1/version", headers={"X-Test-Who": "plain"}).status_code == 200
    assert client.simulate_get("/api/v1/version").status_code == 200
    assert called == []
