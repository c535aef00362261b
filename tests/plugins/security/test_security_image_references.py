"""POST /api/security/scan checks the image reference as Docker parses it before it asks for
anything it needs (the advisory database, the engine): a malformed reference is the family's
400 naming ``image`` even where a scan could not run at all."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import image_references
from plue_core.testing import basic_auth, make_user


@pytest.fixture
def unequipped(tmp_path, build_app):
    """A hub with no advisory database (every well-formed scan is a 503)."""
    app = build_app(security={"advisories_path": str(tmp_path / "no-advisories")})
    make_user(app.plue, "root", admin=True)
    return falcon.testing.TestClient(app)


def _scan(client, image):
    return client.simulate_post("/api/security/scan", json={"image": image},
                                headers=basic_auth("root"))


@pytest.mark.parametrize("image", ["Ubuntu:22.04", "library/Ubuntu", "ubuntu:", "a//b", "-x",
                                   "a b", "a___b", "ubuntu@sha256:zz", "ubuntu:22.04@",
                                   "ubuntu\n", "ubuntu:t\u00e2g"])
def test_a_malformed_reference_is_400_naming_image_before_the_advisories_are_needed(
        unequipped, image):
    response = _scan(unequipped, image)
    assert response.status_code == 400, response.text
    error = response.json["error"]
    assert error["code"] == "VALIDATION_ERROR" and "image" in error["message"]
    assert error["details"]["field"] == "image"


def test_a_well_formed_reference_then_meets_the_missing_advisory_database(unequipped):
    response = _scan(unequipped, "registry.example:5000/team/tool:v1.2")
    assert response.status_code == 503
    assert "advisory database" in response.json["error"]["message"]


@pytest.mark.parametrize("image", [
    "ubuntu", "ubuntu:22.04", "plue-busybox:latest", "library/ubuntu:Latest", "a__b/c--d.e",
    "localhost:5000/x", "Registry.Example/team/tool", "[::1]:5000/x:y",
    "busybox@sha256:" + "a" * 64, "busybox:1.36@sha256:" + "A" * 64, "ubuntu:22.04_RC-1.x"])
def test_what_docker_accepts_is_accepted(image):
    assert image_references.problem(image) is None


def test_an_uppercase_repository_name_is_told_so():
    assert "lowercase" in image_references.problem("Ubuntu")
    assert "lowercase" in image_references.problem("library/Ubuntu:22.04")
    assert image_references.problem("Registry.Example/library/ubuntu") is None  # a domain

