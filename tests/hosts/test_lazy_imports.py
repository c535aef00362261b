"""Libraries an idle process does not need arrive with their first use (issue 13, idle
memory; docs/serving.md, Memory): a built app holds none of them, an API request with a
password loads only the request metrics' library, and each use that needs one loads it and works. In a fresh
interpreter, since the test process has imported them all long ago."""

from __future__ import annotations

import json
import subprocess
import sys

from plue_core import testing

LAZY = ("prometheus_client", "cryptography", "jwt", "nacl", "google.protobuf", "jinja2",
        "pygments", "markdown_it", "nh3", "psutil", "yaml", "dulwich",
        "plue_workflows.document", "plue_workflows.expressions", "plue_workflows.planning")

# Without plue_core.testing: it imports pytest, and pytest Pygments.
_PROBE = """
import base64, json, sys
import falcon.testing
from plue_core import create_app, migrations
from plue_core.accounts import users
from plue_core.config import load_config
from plue_core.db import connection

app = create_app(load_config(path=sys.argv[1], environ={}))
ctx = app.plue
with connection(ctx.db):
    migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=lambda _: None)
    users.create_user(ctx.section("accounts"), username="alice", email="alice@example.com",
                      password="alice-password-123")
client = falcon.testing.TestClient(app)
basic = {"Authorization": "Basic " + base64.b64encode(b"alice:alice-password-123").decode()}
steps, seen = [], set()


def step(name, response=None, status=200):
    assert response is None or response.status_code == status, (name, response.status_code,
                                                                 response.text)
    loaded = {lib for lib in sys.argv[2:] if lib in sys.modules} - seen
    seen.update(loaded)
    steps.append([name, sorted(loaded)])


step("built")
step("first request", client.simulate_get("/api/v1/version"))
step("password", client.simulate_get("/api/v1/user", headers=basic))
created = client.simulate_post("/api/v1/user/repos", json={"name": "probe", "auto_init": True},
                               headers=basic)
step("repository created", created, status=201)
readme = client.simulate_get("/api/v1/repos/alice/probe/contents/README.md", headers=basic)
assert readme.json["name"] == "README.md", readme.text
step("contents GET", readme)
login = client.simulate_post("/auth/login", json={"email": "alice@example.com",
                                                  "password": "alice-password-123"})
bearer = {"Authorization": "Bearer " + login.json["access_token"]}
step("jwt", client.simulate_get("/api/v1/user", headers=bearer))
step("secret key pair", client.simulate_get("/api/v1/user/actions/secrets/public-key",
                                            headers=basic))
ping = client.simulate_post("/api/actions/ping.v1.PingService/Ping", json={"data": "probe"})
assert ping.json == {"data": "Hello, probe!"}, ping.text
step("runner protocol", ping)
page = client.simulate_get("/")
assert "<html" in page.text, page.text[:200]
step("page", page)
metrics = client.simulate_get("/api/metrics", headers=basic)
assert 0 <= metrics.json["data"]["system"]["cpu_usage"] <= 100, metrics.text
step("host metrics", metrics)
ci = base64.b64encode(b"on: push\\njobs:\\n  build:\\n    runs-on: ubuntu-latest\\n"
                      b"    steps:\\n      - run: make\\n").decode()
step("push with a workflow",
     client.simulate_post("/api/v1/repos/alice/probe/contents/.gitea/workflows/ci.yml",
                          json={"content": ci}, headers=basic), status=201)
workflow = ctx.services["actions"].parse_workflow(
    "on: push\\njobs:\\n  build:\\n    runs-on: ubuntu-latest\\n    steps:\\n      - run: make\\n",
    "ci.yml")
assert list(workflow.jobs) == ["build"], workflow
step("workflow read")
print(json.dumps(steps))
"""


def test_each_library_is_imported_by_its_first_use_and_serves_it(tmp_path):
    config = tmp_path / "plue.toml"
    testing.write_toml(config, testing.testing_overrides(tmp_path, f"sqlite:///{tmp_path / 'plue.db'}"))
    out = subprocess.run([sys.executable, "-c", _PROBE, str(config), *LAZY],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    steps = dict(json.loads(out.stdout.strip().splitlines()[-1]))
    assert steps == {
        "built": [],
        "first request": ["prometheus_client"],  # its metrics, without credentials
        "password": [],  # bcrypt is no part of LAZY: every password login needs it
        "repository created": ["dulwich"],  # the first repository made or opened
        "contents GET": [],
        "jwt": ["cryptography", "jwt"],  # pyjwt imports cryptography
        "secret key pair": ["nacl"],  # sealed under the server's key with cryptography
        "runner protocol": ["google.protobuf"],
        "page": ["jinja2", "markdown_it", "nh3", "pygments"],
        "host metrics": ["psutil"],  # the first CPU reading samples 0.1 s (system_metrics)
        # its run planned: the workflow language, its expressions and planner; YAML
        "push with a workflow": ["plue_workflows.document", "plue_workflows.expressions",
                                 "plue_workflows.planning", "yaml"],
        "workflow read": [],
    }
