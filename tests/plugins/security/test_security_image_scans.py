"""POST /api/security/scan reads the real plue-busybox image through Docker and matches its
busybox version against the OSV fixture; GET /api/security/scans lists what was stored."""

from __future__ import annotations

import re

import falcon.testing

from plue_core.testing import BUSYBOX_IMAGE as IMAGE, basic_auth, make_user

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def scan(hub, user="root", **body):
    return hub.simulate_post("/api/security/scan", json={"image": IMAGE, **body},
                             headers=basic_auth(user))


def test_scanning_the_busybox_image_reports_the_advisories_its_version_is_in(hub, docker_engine):
    response = scan(hub, scan_type="comprehensive", severity_threshold="low")
    assert response.status_code == 201, response.text
    assert response.json["success"] is True
    data = response.json["data"]
    assert data["scan_id"].startswith("scan_") and data["image"] == IMAGE
    assert ISO_Z.match(data["scan_date"]) and data["status"] == "completed"
    assert data["vulnerabilities"] == {"total": 2, "critical": 0, "high": 1, "medium": 1,
                                       "low": 0, "unknown": 0}
    assert [d["id"] for d in data["details"]] == ["PLUE-TEST-2024-0001", "PLUE-TEST-2024-0002"]
    high, medium = data["details"]
    assert high == {"id": "PLUE-TEST-2024-0001", "severity": "high", "package": "busybox",
                    "installed_version": "1.35.0", "fixed_version": "1.36.0",
                    "description": "busybox: test advisory fixed in 1.36.0"}
    assert medium["severity"] == "medium" and medium["fixed_version"] is None
    assert "busybox to 1.36.0" in data["recommendation"]
    assert data["packages_scanned"] == 1


def test_the_severity_threshold_filters_details_and_counts(hub, docker_engine):
    data = scan(hub, severity_threshold="high").json["data"]
    assert data["vulnerabilities"]["total"] == 1
    assert [d["severity"] for d in data["details"]] == ["high"]


def test_an_unknown_severity_threshold_is_a_validation_error_naming_the_field(hub):
    response = scan(hub, severity_threshold="severe")
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "VALIDATION_ERROR" and "severity_threshold" in error["message"]
    assert error["request_id"] and error["timestamp"]


def test_an_image_that_is_not_on_the_engine_is_404_saying_so(hub, docker_engine):
    response = scan(hub, image="plue-no-such-image:1.0")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "RESOURCE_NOT_FOUND"
    assert "plue-no-such-image:1.0" in response.json["error"]["message"]


def test_an_unreachable_engine_is_503_with_how_to_fix_it(tmp_path, build_security_app):
    app = build_security_app(docker_url=f"unix://{tmp_path}/no.sock", docker_timeout=2)
    make_user(app.plue, "root", admin=True)
    response = scan(falcon.testing.TestClient(app))
    assert response.status_code == 503
    error = response.json["error"]
    assert error["code"] == "SERVICE_UNAVAILABLE" and "docker_url" in error["message"]


def test_viewers_may_not_scan_images(hub):
    response = scan(hub, user="viewer")
    assert response.status_code == 403 and response.json["error"]["code"] == "AUTHORIZATION_FAILED"


def test_scans_need_authentication(hub):
    response = hub.simulate_get("/api/security/scans")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_stored_scans_are_listed_newest_first_and_filtered_by_image(hub, docker_engine):
    first = scan(hub).json["data"]["scan_id"]
    second = scan(hub, severity_threshold="critical").json["data"]["scan_id"]
    listed = hub.simulate_get("/api/security/scans", params={"image": "busybox", "limit": "10"},
                              headers=basic_auth("viewer"))
    assert listed.status_code == 200 and listed.json["success"] is True
    assert [s["scan_id"] for s in listed.json["data"]] == [second, first]
    assert listed.json["data"][0]["vulnerabilities"]["total"] == 0  # critical only
    limited = hub.simulate_get("/api/security/scans", params={"limit": "1"},
                               headers=basic_auth("viewer"))
    assert [s["scan_id"] for s in limited.json["data"]] == [second]
    other = hub.simulate_get("/api/security/scans", params={"image": "ubuntu"},
                             headers=basic_auth("viewer"))
    assert other.json["data"] == []
    bad = hub.simulate_get("/api/security/scans", params={"limit": "0"}, headers=basic_auth("viewer"))
    assert bad.status_code == 400 and "limit" in bad.json["error"]["message"]
