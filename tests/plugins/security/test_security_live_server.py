"""The main flow through the real server (gunicorn): log in for a JWT, scan the busybox image,
list the scan, scan text for secrets, read the status."""

from __future__ import annotations

import pathlib

import requests

from plue_core.testing import DEFAULT_PASSWORD, run_live_server

ADVISORIES = pathlib.Path(__file__).resolve().parent / "advisories"
TOKEN = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"


def test_an_operator_scans_an_image_and_text_through_gunicorn(tmp_path, plue_database_url,
                                                               docker_engine):
    with run_live_server(tmp_path, plue_database_url,
                         security={"advisories_path": str(ADVISORIES)}) as server:
        server.plue("admin", "user", "create", "--username", "sec", "--email", "sec@example.com",
                    "--password", DEFAULT_PASSWORD, "--admin")
        session = requests.Session()
        login = session.post(f"{server.url}/api/auth/login",
                             json={"username": "sec", "password": DEFAULT_PASSWORD}, timeout=10)
        assert login.status_code == 200, login.text
        session.headers["Authorization"] = f"Bearer {login.json()['token']}"

        scan = session.post(f"{server.url}/api/security/scan", timeout=120, json={
            "image": "plue-busybox:latest", "scan_type": "comprehensive",
            "severity_threshold": "medium"})
        assert scan.status_code == 201, scan.text
        data = scan.json()["data"]
        assert data["vulnerabilities"]["total"] == 2 and data["details"][0]["package"] == "busybox"

        listed = session.get(f"{server.url}/api/security/scans",
                             params={"image": "busybox", "limit": 10}, timeout=10)
        assert [s["scan_id"] for s in listed.json()["data"]] == [data["scan_id"]]

        secrets = session.post(f"{server.url}/api/security/secret-scan", timeout=10, json={
            "content": f"line one\nGH_TOKEN={TOKEN}", "scan_rules": ["tokens"]})
        assert secrets.status_code == 200 and TOKEN not in secrets.text
        assert secrets.json()["data"]["findings"][0]["line"] == 2

        status = session.get(f"{server.url}/api/security/status", timeout=10).json()["data"]
        assert status["threat_detection"]["threats_detected"] == 1
        assert status["vulnerabilities"]["high"] == 1
