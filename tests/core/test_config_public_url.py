"""``base_url`` follows the address the server listens on unless it is set, as Gitea's
ROOT_URL follows its protocol, domain and port."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.config import load_config, public_url_from_bind
from plue_core.errors import StartupError
from plue_core.testing import basic_auth, make_test_config, make_user, migrate


@pytest.mark.parametrize("bind, url", [
    ("127.0.0.1:8411", "http://127.0.0.1:8411"),
    ("0.0.0.0:8000", "http://localhost:8000"),  # a wildcard is no address a client can use
    (":9000", "http://localhost:9000"),
    ("[::]:9000", "http://localhost:9000"),
    ("[::1]:9000", "http://[::1]:9000"),
    ("forge.internal:80", "http://forge.internal"),  # the scheme's port is left out
    ("127.0.0.1", "http://127.0.0.1:8000"),  # gunicorn's default port
])
def test_the_public_url_is_derived_from_the_bind_address(bind, url):
    assert public_url_from_bind(bind) == url


@pytest.mark.parametrize("bind", ["unix:/run/plue.sock", "127.0.0.1:http", "127.0.0.1:0"])
def test_a_bind_address_without_a_usable_port_asks_for_base_url(bind):
    with pytest.raises(StartupError, match="server.bind") as raised:
        load_config(environ={"PLUE_BIND": bind})
    assert bind in str(raised.value)


def test_base_url_follows_plue_bind_and_the_server_section_by_default(tmp_path):
    assert load_config(environ={}).base_url == "http://127.0.0.1:8000"
    assert load_config(environ={"PLUE_BIND": "127.0.0.1:8411"}).base_url == "http://127.0.0.1:8411"
    path = tmp_path / "plue.toml"
    path.write_text('[server]\nbind = "0.0.0.0:8412"\n')
    assert load_config(path, environ={}).base_url == "http://localhost:8412"


def test_an_explicit_base_url_still_wins(tmp_path):
    path = tmp_path / "plue.toml"
    path.write_text('base_url = "https://forge.example.com/git"\n[server]\nbind = "0.0.0.0:8412"\n')
    assert load_config(path, environ={}).base_url == "https://forge.example.com/git"
    env = {"PLUE_BIND": "127.0.0.1:8411", "PLUE_BASE_URL": "https://proxy.example.com"}
    assert load_config(environ=env).base_url == "https://proxy.example.com"
    # A Unix socket needs no derivable address once base_url is given.
    socket = load_config(environ={"PLUE_BIND": "unix:/run/plue.sock",
                                  "PLUE_BASE_URL": "https://forge.example.com"})
    assert socket.base_url == "https://forge.example.com"


def test_every_link_in_a_body_uses_the_derived_url(tmp_path, plue_database_url):
    config = make_test_config(tmp_path, plue_database_url, server={"bind": "0.0.0.0:8413"})
    app = create_app(config)
    try:
        migrate(app)
        make_user(app.plue, "alice")
        client = falcon.testing.TestClient(app)
        created = client.simulate_post("/api/v1/user/repos", headers=basic_auth("alice"),
                                       json={"name": "demo", "auto_init": True})
        assert created.status_code == 201, created.text
        repo = created.json
        assert repo["clone_url"] == "http://localhost:8413/alice/demo.git"
        assert repo["html_url"] == "http://localhost:8413/alice/demo"
        assert repo["owner"]["avatar_url"].startswith("http://localhost:8413/avatars/")
        branch = client.simulate_get("/api/v1/repos/alice/demo/branches/main").json
        assert branch["commit"]["url"].startswith("http://localhost:8413/alice/demo/commit/")
    finally:
        app.plue.close()
