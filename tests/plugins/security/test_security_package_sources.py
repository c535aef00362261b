"""Package databases other than busybox's banner: an image carrying dpkg's status file and
apk's installed database (built on the real engine with ``docker import``), and the version
ordering each ecosystem uses."""

from __future__ import annotations

import io
import tarfile

import pytest

from plue_core.testing import basic_auth
from plue_security import advisories, cvss
from plue_security.image_contents import InstalledPackage
from plue_security.versions import (
    compare_alpine,
    compare_debian,
    compare_upstream,
)

DPKG_STATUS = """Package: libssl3
Status: install ok installed
Source: openssl
Version: 3.0.11-1~deb12u1
Description: shared library

Package: openssl
Status: install ok installed
Version: 3.0.11-1~deb12u2

Package: removed-tool
Status: deinstall ok config-files
Version: 1.0
"""
APK_INSTALLED = """C:Q1abc=
P:musl
V:1.2.4-r2
o:musl

C:Q1def=
P:zlib
V:1.3.1-r0
"""
IMAGE = "plue-security-packages:test"


@pytest.fixture
def package_image(docker_engine):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path, text in (("var/lib/dpkg/status", DPKG_STATUS),
                           ("lib/apk/db/installed", APK_INSTALLED)):
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    docker_engine.api.import_image_from_data(buffer.getvalue(), repository=IMAGE.split(":")[0],
                                             tag=IMAGE.split(":")[1])
    yield IMAGE
    docker_engine.images.remove(IMAGE, force=True)


def test_dpkg_and_apk_databases_are_read_and_matched_by_their_ecosystems(hub, package_image):
    response = hub.simulate_post("/api/security/scan", headers=basic_auth("root"),
                                 json={"image": package_image})
    assert response.status_code == 201, response.text
    data = response.json["data"]
    assert data["packages_scanned"] == 4  # the deinstalled package is not counted
    found = {(d["id"], d["package"], d["installed_version"], d["fixed_version"], d["severity"])
             for d in data["details"]}
    assert found == {
        # libssl3 is matched through its source package openssl; openssl itself is fixed
        ("PLUE-TEST-DEB-0001", "libssl3", "3.0.11-1~deb12u1", "3.0.11-1~deb12u2", "critical"),
        ("PLUE-TEST-2024-0005", "libssl3", "3.0.11-1~deb12u1", "3.0.11-1~deb12u2", "low"),
        ("PLUE-TEST-APK-0001", "musl", "1.2.4-r2", "1.2.4-r3", "low"),
    }
    assert data["vulnerabilities"]["critical"] == 1 and data["vulnerabilities"]["low"] == 2


@pytest.mark.parametrize("older,newer", [
    ("1.0~rc1", "1.0"), ("1.0", "1.0-1"), ("2.0", "1:0.9"), ("1.2.9", "1.2.10"),
    ("3.0.11-1~deb12u1", "3.0.11-1~deb12u2"), ("1.0a", "1.0b"), ("1.0+b1", "1.0+b2"),
])
def test_debian_versions_are_ordered_as_dpkg_orders_them(older, newer):
    assert compare_debian(older, newer) < 0 < compare_debian(newer, older)
    assert compare_debian(older, older) == 0


def test_alpine_and_upstream_versions_are_ordered():
    assert compare_alpine("1.36.1-r5", "1.36.1-r15") < 0
    assert compare_alpine("1.36.1-r15", "1.37.0-r0") < 0
    assert compare_upstream("1.35.0", "1.36.0") < 0 and compare_upstream("1.10", "1.9") > 0


@pytest.mark.parametrize("vector,score,rating", [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "critical"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "medium"),
    ("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5, "medium"),
    ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "critical"),
])
def test_cvss_v3_vectors_are_scored_as_first_specifies(vector, score, rating):
    assert cvss.base_score(vector) == score and cvss.rating(score) == rating


def test_an_advisory_with_only_a_cvss_vector_gets_its_rating_and_one_without_is_unknown():
    package = InstalledPackage("PyPI", "demo", "1.0.0", "demo")
    affected = {"package": {"ecosystem": "PyPI", "name": "demo"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}]}
    found = advisories.match([
        {"id": "A", "affected": [affected],
         "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]},
        {"id": "B", "affected": [affected]},
    ], [package])
    assert [(f.id, f.severity, f.fixed_version) for f in found] == [("A", "critical", "1.2"),
                                                                     ("B", "unknown", "1.2")]
