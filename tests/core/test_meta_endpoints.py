"""Meta endpoints: version, API settings, health, the plugin list, the OpenAPI document and its
offline documentation page."""

from __future__ import annotations

import importlib.metadata
import re

from plue_core import hookimpl

# Gitea's GeneralAPISettings (gitea-swagger-v1.json), exactly.
GITEA_API_SETTINGS_FIELDS = {"default_git_trees_per_page", "default_max_blob_size",
                             "default_max_response_size", "default_paging_num",
                             "max_response_items"}


def test_version_is_the_installed_distribution_version(client):
    assert client.simulate_get("/api/v1/version").json == {"version": importlib.metadata.version("plue")}


def test_api_settings_have_giteas_fields_and_the_configured_paging(client):
    body = client.simulate_get("/api/v1/settings/api").json
    assert set(body) == GITEA_API_SETTINGS_FIELDS
    assert body["default_paging_num"] == 30 and body["max_response_items"] == 50


def test_health_reports_the_database(client):
    response = client.simulate_get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "healthy"
    assert response.json["services"]["database"] == "healthy"


class _Figures:
    PLUE_NAME = "figures"

    @hookimpl
    def health_metrics(self, ctx):
        return {"greetings_waiting": 3}


class _BrokenFigures:
    PLUE_NAME = "broken_figures"

    @hookimpl
    def health_metrics(self, ctx):
        raise RuntimeError("the figures' table is gone")


def test_health_merges_the_figures_plugins_give(build_client):
    body = build_client(_Figures()).simulate_get("/health").json
    assert body["metrics"]["greetings_waiting"] == 3


def test_a_failing_health_figure_degrades_the_health_but_answers(build_client):
    response = build_client(_BrokenFigures()).simulate_get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["services"]["database"] == "healthy"


def test_the_plugin_list_names_every_enabled_plugin_with_its_routes_and_hooks(client):
    plugins = {entry["name"]: entry for entry in client.simulate_get("/-/plugins").json}
    assert {"meta", "accounts", "hello"} <= set(plugins)
    assert "/api/v1/hello/greetings" in plugins["hello"]["routes"]
    assert "on_event" in plugins["hello"]["hooks"]
    assert plugins["hello"]["version"] == importlib.metadata.version("plue-hello")


def test_a_disabled_plugin_is_absent_from_the_plugin_list(build_client):
    client = build_client(plugins={"disabled": ["hello"]})
    assert "hello" not in {entry["name"] for entry in client.simulate_get("/-/plugins").json}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_openapi_document_describes_every_enabled_plugins_routes(client):
    document = client.simulate_get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == importlib.metadata.version("plue")
    paths = document["paths"]
    assert "get" in paths["/api/v1/user"]
    assert "get" in paths["/api/v1/users/{username}"]
    assert paths["/api/v1/users/{username}"]["get"]["parameters"][0]["name"] == "username"
    assert {"get", "post"} <= set(paths["/api/v1/hello/greetings"])
    post = paths["/api/v1/hello/greetings"]["post"]
    assert "201" in post["responses"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"] == \
        "#/components/schemas/CreateGreetingOption"
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    assert client.simulate_get("/swagger.v1.json").json == document  # Gitea's spec path


def test_every_operation_id_in_the_openapi_document_is_unique(client):
    paths = client.simulate_get("/api/openapi.json").json["paths"]
    seen: dict[str, str] = {}
    for path, item in paths.items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            assert op["operationId"] not in seen, f"{where} reuses {seen.get(op['operationId'])}'s id"
            seen[op["operationId"]] = where


def test_a_disabled_plugins_routes_vanish_from_the_openapi_document(build_client):
    client = build_client(plugins={"disabled": ["hello"]})
    paths = client.simulate_get("/api/openapi.json").json["paths"]
    assert "/api/v1/user" in paths
    assert not any(path.startswith("/api/v1/hello") for path in paths)


def test_the_documentation_page_and_its_assets_load_without_a_network(client):
    for page in ("/api/docs", "/api/swagger"):
        response = client.simulate_get(page)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
        assert "http://" not in response.text and "https://" not in response.text  # no CDN
    assets = re.findall(r'(?:src|href)="([^"]+)"', client.simulate_get("/api/docs").text)
    assert len(assets) == 4
    for asset in assets:
        response = client.simulate_get(asset)
        assert response.status_code == 200 and len(response.content) > 50, asset
    assert "/api/openapi.json" in client.simulate_get("/api/docs/assets/plue-init.js").text


def test_documentation_assets_cannot_escape_their_folder(client):
    for name in ("..%2F..%2Fsetup.py", ".hidden", "no-such-file.js"):
        assert client.simulate_get(f"/api/docs/assets/{name}").status_code == 404
