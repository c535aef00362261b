"""hosts/embedded: Plue mounted under /forge inside another WSGI application."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import falcon.testing
import pytest
import requests

from plue_hosts.embedded.app import create_host_app
from plue_core.testing import free_port, make_user, migrate


@pytest.fixture
def host(plue_config):
    app = create_host_app(plue_config)
    migrate(app.plue_app)
    yield app
    app.plue_app.plue.close()


@pytest.fixture
def browser(host):
    return falcon.testing.TestClient(host)


def test_plue_answers_under_the_prefix(browser, host):
    response = browser.simulate_get("/forge/api/v1/version")
    assert response.status_code == 200
    assert response.json == {"version": host.plue_app.plue.version}
    assert browser.simulate_get("/forge/health").json["status"] == "healthy"


def test_the_host_keeps_everything_outside_the_prefix(browser):
    home = browser.simulate_get("/")
    assert home.status_code == 200 and 'href="/forge/api/docs"' in home.text
    for path in ("/api/v1/version", "/forgery/api/v1/version", "/elsewhere"):
        response = browser.simulate_get(path)
        assert response.status_code == 404 and response.text == "not found\n", path


def test_pagination_links_and_error_urls_carry_the_prefix(browser, host):
    for name in ("ann", "ben", "cat"):
        make_user(host.plue_app.plue, name)
    response = browser.simulate_get("/forge/api/v1/users/search", params={"limit": 1, "page": 2})
    urls = re.findall(r"<([^>]+)>", response.headers["Link"])
    assert len(urls) == 4
    assert all(re.match(r"^https?://[^/]+/forge/api/v1/users/search\?", url) for url in urls), urls
    missing = browser.simulate_get("/forge/api/v1/users/nobody")
    assert missing.status_code == 404 and re.match(r"^https?://[^/]+/forge/api/swagger$",
                                                   missing.json["url"])


def test_the_api_documentation_page_works_under_the_prefix(browser):
    page = browser.simulate_get("/forge/api/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(asset.startswith("/forge/api/docs/assets/") for asset in assets)
    for asset in assets:
        assert browser.simulate_get(asset).status_code == 200, asset
    init = browser.simulate_get("/forge/api/docs/assets/plue-init.js").text
    assert '"/forge/api/openapi.json"' in init
    document = browser.simulate_get("/forge/api/openapi.json").json
    assert document["servers"] == [{"url": "/forge"}]


@pytest.mark.e2e
def test_the_example_runs_as_a_program(plue):
    plue("migrate")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "plue_hosts.embedded", "--port", str(port)],
                              env=plue.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/forge/api/v1/version", timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, server.stdout.read()
                time.sleep(0.1)
        assert response.status_code == 200 and "version" in response.json()
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
