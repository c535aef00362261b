"""The operations of Plue's served ``/api/openapi.json`` against Gitea's own spec and against
the code behind them: each /api/v1 operation Gitea documents has Gitea's ``operationId`` (a
generated client's method names) and, where Gitea's takes a ``body``, a ``requestBody``; and
every write operation whose responder validates a JSON body with a marshmallow schema documents
that schema as its ``requestBody`` (schemathesis and clients only send what is documented)."""

from __future__ import annotations

import inspect
import json
import pathlib
import re

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.openapi import HTTP_METHODS
from plue_core.routing import Route
from plue_core.testing import fresh_database_url, make_test_config, migrate

pytestmark = pytest.mark.e2e

GITEA = json.loads((pathlib.Path(__file__).parent / "gitea_swagger_v1.json").read_text())
# load_body (plue_core.validation) and the families' wrappers of it that answer their own 400s.
_LOADS = re.compile(r"\b(?:load_body|load|load_request)\(req, (\w+)\)")


def _key(method: str, template: str) -> str:
    return f"{method.upper()} {re.sub(r'{[^}]+}', '{}', template)}"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("openapi-operations")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        try:
            yield (falcon.testing.TestClient(app).simulate_get("/api/openapi.json").json,
                   list(app.plue.routes))
        finally:
            app.plue.close()


def _gitea_operations() -> dict[str, dict]:
    return {_key(method, path): operation for path, methods in GITEA["paths"].items()
            for method, operation in methods.items() if method in HTTP_METHODS}


def test_every_v1_operation_has_gitea_operation_id_and_request_body(served):
    spec, _ = served
    gitea = _gitea_operations()
    compared, failures = 0, []
    for path, methods in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in methods.items():
            theirs = gitea.get(_key(method, path[len("/api/v1"):]))
            if theirs is None:
                continue  # a Plue addition: no Gitea name to match
            compared += 1
            where = f"{method.upper()} {path}"
            if operation["operationId"] != theirs["operationId"]:
                failures.append(f"{where}: operationId {operation['operationId']!r}, "
                                f"Gitea's {theirs['operationId']!r}")
            body = [p for p in theirs.get("parameters", []) if p.get("in") == "body"]
            if body and "requestBody" not in operation:
                failures.append(f"{where}: no requestBody, Gitea's takes "
                                f"{body[0].get('schema', {}).get('$ref')}")
    assert not failures, f"{len(failures)} of {compared}:\n" + "\n".join(failures)
    assert compared > 250, compared  # the whole served /api/v1 was walked


# Where the served body's component keeps its own name: Gitea's CreateKeyOption is already the
# name of the user's key body (plue_core's accounts), whose read_only defaults to false where a
# deploy key's defaults to true; a component name is one schema.
OWN_BODY_NAMES = {"POST /repos/{}/{}/keys": "CreateDeployKeyOption"}


def test_every_request_body_has_giteas_component_name(served):
    """A generated client's model classes are named after the components: each documented
    requestBody of an operation Gitea documents names Gitea's body definition."""
    spec, _ = served
    gitea = {key: body[0]["schema"]["$ref"].rsplit("/", 1)[-1]
             for key, operation in _gitea_operations().items()
             if (body := [p for p in operation.get("parameters", [])
                          if p.get("in") == "body" and "$ref" in p.get("schema", {})])}
    compared, failures = 0, []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            key = _key(method, path.removeprefix("/api/v1"))
            if not path.startswith("/api/v1/") or key not in gitea or "requestBody" not in operation:
                continue
            compared += 1
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            ours = ref.rsplit("/", 1)[-1]
            if ours != OWN_BODY_NAMES.get(key, gitea[key]):
                failures.append(f"{key}: {ours}, Gitea's {gitea[key]}")
    assert not failures, f"{len(failures)} of {compared}:\n" + "\n".join(failures)
    assert compared >= 70, compared  # every served write with Gitea's body was compared


def _validated_schema(route: Route, method: str) -> tuple[str, str] | None:
    """(responder name, the schema class it loads the JSON body with), if it loads one."""
    suffix = f"_{route.suffix}" if route.suffix else ""
    responder = getattr(route.resource, f"on_{method}{suffix}", None)
    if responder is None or not hasattr(responder, "__plue_operation__"):
        return None
    found = _LOADS.search(inspect.getsource(responder))
    return (responder.__qualname__, found.group(1)) if found else None


def test_every_write_that_validates_a_body_documents_that_schema(served):
    spec, routes = served
    checked, failures = [], []
    for _, route in routes:
        if not isinstance(route, Route):
            continue
        for method in ("post", "put", "patch"):
            validated = _validated_schema(route, method)
            if validated is None:
                continue
            responder, schema = validated
            checked.append(f"{method.upper()} {route.openapi_path}")
            operation = spec["paths"][route.openapi_path][method]
            ref = (operation.get("requestBody", {}).get("content", {})
                   .get("application/json", {}).get("schema", {}).get("$ref"))
            wanted = f"#/components/schemas/{schema.removesuffix('Schema')}"
            if ref != wanted:
                failures.append(f"{method.upper()} {route.openapi_path} ({responder} loads "
                                f"{schema}): requestBody {ref}")
    assert not failures, "\n".join(failures)
    # the seed families' writes are among those checked, not only /api/v1
    assert {"POST /api/jobs/delegate", "PUT /api/jobs/{job_id}/status", "POST /api/runners",
            "POST /api/jobs/{job_id}/logs", "POST /api/security/scan",
            "POST /api/security/secret-scan"} <= set(checked), checked
