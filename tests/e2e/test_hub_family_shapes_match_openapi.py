"""RunnerHub's family (runnerhub, security, monitoring: ``/api/*`` outside ``/api/v1``) against
``/api/openapi.json``: every operation of those plugins documents its answer as RunnerHub's
envelope around a ``plue_core.shapes`` shape, and a client walking them gets bodies that match
the served components strictly (every key documented, every value of its documented type, null
only where documented)."""

from __future__ import annotations

import json

import pytest

from plue_core.db import connection
from plue_core.families import hub_envelope, hub_success
from plue_core.shapes import Shape, integer, problems
from plue_core.testing import make_user
from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)
from plue_runnerhub.testing import SEED_DELEGATION, hub, register
from plue_security.models import ImageScan

from test_shapes_match_openapi import _operation_for

pytestmark = pytest.mark.e2e

FAMILY_TAGS = {"runnerhub", "security", "monitoring"}
FINDING = {"id": "CVE-2024-0001", "severity": "high", "package": "busybox",
           "installed_version": "1.36.0", "fixed_version": "1.36.1", "description": "a flaw"}


@pytest.fixture
def forge(actions_forge):  # noqa: F811  (the fixture above)
    make_user(actions_forge.ctx, "olga", role="operator")
    return actions_forge


def test_every_hub_family_operation_documents_an_enveloped_shape(forge):
    spec = forge.client.simulate_get("/api/openapi.json").json
    undocumented, documented = [], 0
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if not FAMILY_TAGS & set(operation["tags"]) or path.startswith("/api/v1"):
                continue
            answers = [a for a in operation["responses"].values() if "content" in a]
            if not answers:
                undocumented.append(f"{method.upper()} {path}")
                continue
            ref = answers[0]["content"]["application/json"]["schema"]["$ref"]
            component = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
            assert list(component["properties"])[0] == "success", (path, component)
            documented += 1
    assert not undocumented, undocumented
    assert documented >= 20, documented  # jobs 6, runners 3, queues 4, webhook, security 4, monitoring 2


def test_a_client_of_the_hub_family_gets_the_bodies_the_document_describes(forge):
    client = forge.client
    spec = client.simulate_get("/api/openapi.json").json
    components = spec["components"]["schemas"]
    checked, failures = [], []

    def call(method, path, body=None, status=200, as_user="root", **kwargs):
        result = hub(forge, method, path, as_user=as_user, body=body, **kwargs)
        assert result.status_code == status, (method, path, result.text)
        operation = _operation_for(spec, method, path)
        schema = (operation or {}).get("responses", {}).get(str(status), {}) \
            .get("content", {}).get("application/json", {}).get("schema")
        assert schema is not None, f"{method} {path} documents no {status} body"
        checked.append(f"{method} {path}")
        failures.extend(f"{method} {path}: {p}" for p in problems(result.json, schema, components))
        return result.json["data"]

    with connection(forge.ctx.db):
        ImageScan.create(scan_id="scan_1", image="busybox:latest", image_id="sha256:ab",
                         scan_type="comprehensive", severity_threshold="low",
                         packages_scanned=3, high=1, details=json.dumps([FINDING]))
    call("GET", "/api/metrics")
    call("GET", "/api/monitoring/dashboard")
    call("GET", "/api/security/status")
    scans = call("GET", "/api/security/scans")
    assert scans[0]["details"] == [FINDING]
    call("POST", "/api/security/secret-scan",
         {"content": "key = AKIAIOSFODNN7EXAMPLE\nnothing here"})
    runner, runner_headers = register(forge)
    call("GET", "/api/runners")
    call("GET", f"/api/runners/{runner['id']}/status")
    external = call("POST", "/api/jobs/delegate", SEED_DELEGATION, status=201, as_user="olga")
    call("GET", "/api/jobs", as_user=None, headers=runner_headers)
    call("GET", f"/api/jobs/{external['job_id']}", as_user="olga")
    call("POST", f"/api/jobs/{external['job_id']}/logs", {"logs": [
        {"timestamp": "2025-01-01T00:00:00Z", "level": "info", "message": "hello"}]},
        status=201, as_user=None, headers=runner_headers)
    call("GET", f"/api/jobs/{external['job_id']}/logs", as_user="olga")
    call("GET", "/api/jobs", as_user="olga")
    call("GET", "/api/queues/status")
    call("POST", "/api/queues/ubuntu-latest/pause")
    call("DELETE", "/api/queues/ubuntu-latest/failed")
    assert not failures, "\n".join(failures)
    assert len(checked) == 16, checked


def test_the_envelope_component_renders_what_hub_success_answers():
    data_shape = Shape("Probe", [integer("n")])

    class Row:
        n = 3
    for message in (None, "Done"):
        gathered = {"data": data_shape(Row()), "message": message}
        assert hub_envelope(data_shape)(gathered) == hub_success(data_shape(Row()),
                                                                 message=message)
    assert list(hub_envelope(data_shape, many=True).openapi()["properties"]) == \
        ["success", "message", "data"]

