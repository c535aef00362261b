"""GET /api/security/status reports stored scans and the protections this instance enforces."""

from __future__ import annotations

from plue_core.testing import basic_auth


def status(hub):
    response = hub.simulate_get("/api/security/status", headers=basic_auth("viewer"))
    assert response.status_code == 200, response.text
    assert response.json["success"] is True
    return response.json["data"]


def test_a_fresh_instance_has_no_scans_and_counts_its_enforced_policies(hub):
    data = status(hub)
    assert data["threat_detection"] == {"status": "on_demand", "threats_detected": 0,
                                        "last_scan": None, "last_image_scan": None,
                                        "last_secret_scan": None}
    assert data["vulnerabilities"] == {"critical": 0, "high": 0, "medium": 0, "low": 0, "unknown": 0}
    assert data["compliance_status"] is None
    policies = data["security_policies"]
    assert policies["total"] == len(policies["policies"])
    assert policies["enforced"] == sum(p["enforced"] for p in policies["policies"])
    by_name = {p["name"]: p["enforced"] for p in policies["policies"]}
    assert by_name["jwt_algorithm_pinned"] is True
    details = {p["name"]: p["detail"] for p in policies["policies"]}
    assert details["jwt_algorithm_pinned"] == "HS256 only; other algorithms are refused"
    assert by_name["bcrypt_cost_at_least_10"] is False  # the tests run with cost 4
    assert data["security_level"] == "medium"  # a policy is not enforced


def test_status_sums_the_latest_scan_of_each_image_and_the_secrets_found(hub, docker_engine):
    for threshold in ("low", "critical"):  # the newest scan counts, with all its findings
        assert hub.simulate_post("/api/security/scan", headers=basic_auth("root"), json={
            "image": "plue-busybox:latest", "severity_threshold": threshold}).status_code == 201
    hub.simulate_post("/api/security/secret-scan", headers=basic_auth("root"),
                      json={"content": "password=hunter2hunter2\nAKIAIOSFODNN7EXAMPLE"})
    data = status(hub)
    assert data["vulnerabilities"] == {"critical": 0, "high": 1, "medium": 1, "low": 0, "unknown": 0}
    assert data["images_scanned"] == 1
    assert data["threat_detection"]["threats_detected"] == 2
    assert data["threat_detection"]["last_scan"] == data["threat_detection"]["last_secret_scan"]
    assert data["security_level"] == "low"  # secrets were found
