"""The authorization matrix, generated from the route table: every route that names a
repository (``{owner}/{repo}`` in its path, ``/repositories/{repository_id}``, and git smart
HTTP's sink) is sent by six callers (anonymous, a stranger, a reader, a writer and an
administrator collaborator, a member of a write team of the owning organization) to three
repositories (public, private, archived), in process. It asserts what
``ctx.services["git_hosting"].require_repository`` promises every face:

* a repository the caller may not see answers exactly as one that does not exist: 404 (git's
  anonymous callers get the same 401 challenge for both, as Gitea's; a web page that needs a
  signed-in caller or a form's CSRF token refuses before it looks the repository up, as
  Gitea's ``reqSignIn`` and CSRF check do: 303 to the sign-in page or 403, the same for both);
* no write (POST, PUT, PATCH, DELETE, a push) succeeds for a caller below write, except the
  few Gitea grants every reader (``READER_WRITES``);
* no write succeeds on an archived repository, except what Gitea allows there
  (``ARCHIVED_WRITES``: unarchiving, deleting, starring, watching, forking).

A new route is covered without editing this file; bodies are the smallest the OpenAPI
document accepts (required fields only), so validation does not hide a missing check.
"""

from __future__ import annotations

import re

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.openapi import HTTP_METHODS
from plue_core.routing import Route, Sink
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

ORG = "acme"
REPOSITORIES = {"public": "open", "private": "hidden", "archived": "frozen"}
GHOST = "no-such-repository"
CALLERS = ("anonymous", "stranger", "reader", "writer", "team member", "admin")
# The level each caller has: collaborators by their grant, the team member by the team's.
LEVELS = {"anonymous": "read", "stranger": "read", "reader": "read", "writer": "write",
          "team member": "write", "admin": "admin"}
USERS = {"stranger": "stranger", "reader": "reader", "writer": "writer",
         "team member": "member", "admin": "keeper"}
WRITES = ("POST", "PUT", "PATCH", "DELETE")
SAMPLE = {"index": "1", "comment_id": "1", "label_id": "1", "milestone_id": "1", "run_id": "1",
          "attempt": "1", "job_id": "1", "artifact_id": "1", "runner_id": "1", "review_id": "1",
          "workflow_id": "ci.yml", "filepath": "README.md", "collaborator": "reader",
          "assignee": "writer", "basehead": "main...main", "diff_type": "diff", "head": "main",
          "sha": "main", "ref": "main", "branch": "main", "tag": "v1", "name": "NAME",
          "secretname": "SECRET", "variablename": "VARIABLE", "user": "reader"}
REPO = "/api/v1/repos/{owner}/{repo}"
STAR = "/api/v1/user/starred/{owner}/{repo}"
# Gitea lets anyone who can read a repository do these (on their own behalf).
READER_WRITES = {
    ("POST", REPO + "/forks"), ("PUT", REPO + "/subscription"), ("DELETE", REPO + "/subscription"),
    ("POST", REPO + "/issues"), ("POST", REPO + "/issues/{index}/comments"),
    ("POST", REPO + "/issues/{index}/reactions"), ("DELETE", REPO + "/issues/{index}/reactions"),
    ("POST", REPO + "/issues/comments/{comment_id}/reactions"),
    ("DELETE", REPO + "/issues/comments/{comment_id}/reactions"),
    ("POST", REPO + "/pulls"), ("POST", REPO + "/pulls/{index}/reviews"),
    ("PUT", STAR), ("DELETE", STAR),
    # Marking one's own notification threads of the repository read.
    ("PUT", REPO + "/notifications"),
    # One's own subscription to an issue (Gitea: reqToken only; archived too).
    ("PUT", REPO + "/issues/{index}/subscriptions/{user}"),
    ("DELETE", REPO + "/issues/{index}/subscriptions/{user}"),
}
# What Gitea allows on an archived repository (``mustNotBeArchived`` is not on these).
# A runner registration token changes nothing in the repository (Gitea also serves it by GET);
# a commit status is a CI system's report on a commit (Gitea's POST /statuses/{sha} has no
# mustNotBeArchived in any version: reachable here since the document names its body).
ARCHIVED_WRITES = {("PATCH", REPO), ("DELETE", REPO), ("POST", REPO + "/forks"),
                   ("PUT", REPO + "/subscription"), ("DELETE", REPO + "/subscription"),
                   ("POST", REPO + "/actions/runners/registration-token"),
                   ("POST", REPO + "/statuses/{sha}"), ("PUT", STAR), ("DELETE", STAR),
                   ("PUT", REPO + "/topics"), ("PUT", REPO + "/topics/{topic}"),
                   ("DELETE", REPO + "/topics/{topic}"), ("PUT", REPO + "/notifications"),
                   ("PUT", REPO + "/issues/{index}/subscriptions/{user}"),
                   ("DELETE", REPO + "/issues/{index}/subscriptions/{user}")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An organization with the three repositories, an issue #1 and a comment by the owner
    in each, the collaborators and a write team."""
    tmp_path = tmp_path_factory.mktemp("matrix")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        client = falcon.testing.TestClient(app)
        for name in ("owner", *USERS.values()):
            make_user(app.plue, name)
        owner = basic_auth("owner")

        def ok(response):
            assert response.status_code < 300, response.text
            return response.json if response.text else None

        ok(client.simulate_post("/api/v1/orgs", headers=owner, json={"username": ORG}))
        team = ok(client.simulate_post(f"/api/v1/orgs/{ORG}/teams", headers=owner, json={
            "name": "writers", "permission": "write", "includes_all_repositories": True,
            "units": ["repo.code", "repo.issues", "repo.pulls", "repo.actions"]}))
        ok(client.simulate_put(f"/api/v1/teams/{team['id']}/members/member", headers=owner))
        ids = {}
        for kind, name in REPOSITORIES.items():
            created = ok(client.simulate_post(f"/api/v1/orgs/{ORG}/repos", headers=owner, json={
                "name": name, "private": kind == "private", "auto_init": True}))
            ids[name] = created["id"]
            path = f"/api/v1/repos/{ORG}/{name}"
            for user, permission in (("reader", "read"), ("writer", "write"), ("keeper", "admin")):
                ok(client.simulate_put(f"{path}/collaborators/{user}", headers=owner,
                                       json={"permission": permission}))
            ok(client.simulate_post(f"{path}/issues", headers=owner, json={"title": "first"}))
            # Comment 1 is the owner's: nobody else may edit or delete it.
            ok(client.simulate_post(f"{path}/issues/1/comments", headers=owner,
                                    json={"body": "mine"}))
            if kind == "archived":
                ok(client.simulate_patch(path, headers=owner, json={"archived": True}))
        try:
            yield app, ids
        finally:
            app.plue.close()


def minimal_body(spec: dict, operation: dict | None):
    """The smallest body the OpenAPI document accepts: its required fields, or ``{}``."""
    content = ((operation or {}).get("requestBody") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return _example(spec, schema) if schema else {}


def _example(spec: dict, schema: dict, depth: int = 0):
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _example(spec, properties.get(name, {}), depth + 1)
                for name in schema.get("required", []) if depth < 4}
    return {"array": [], "integer": 1, "number": 1, "boolean": True}.get(kind, "x")


def repository_routes(app) -> list[dict]:
    """Every request a route naming a repository accepts: method, path template, body."""
    spec = falcon.testing.TestClient(app).simulate_get("/api/openapi.json").json
    out = []
    for plugin, route in app.plue.routes:
        if isinstance(route, Sink):
            out += _git_requests(route)
            continue
        template = route.openapi_path
        if not isinstance(route, Route) or not ("{owner}/{repo}" in template
                                                or "{repository_id}" in template):
            continue
        suffix = f"_{route.suffix}" if route.suffix else ""
        for method in HTTP_METHODS:
            if method in ("head", "options") or not hasattr(route.resource, f"on_{method}{suffix}"):
                continue
            operation = spec["paths"].get(template, {}).get(method)
            body = minimal_body(spec, operation) if method != "get" else None
            out.append({"method": method.upper(), "template": template, "json": body,
                        "write": method.upper() in WRITES, "git": False,
                        "web": plugin == "web"})
    return out


def _git_requests(sink: Sink) -> list[dict]:
    """git smart HTTP's sink, read from its pattern: info/refs for each service, and the two
    RPCs; anything receive-pack is a write (a push)."""
    if "(?P<owner>" not in sink.prefix or "(?P<repo>" not in sink.prefix:
        return []
    actions = re.search(r"\(\?P<action>([^)]*)\)", sink.prefix).group(1).split("|")
    out = []
    for action in actions:
        if action == "info/refs":
            out += [{"method": "GET", "template": "/{owner}/{repo}.git/info/refs?service=" + service,
                     "write": service == "git-receive-pack", "git": True}
                    for service in ("git-upload-pack", "git-receive-pack")]
        else:
            out.append({"method": "POST", "template": "/{owner}/{repo}.git/" + action,
                        "write": action == "git-receive-pack", "git": True,
                        "headers": {"Content-Type": f"application/x-{action}-request"}})
    return out


def concrete(request: dict, repo: str, repository_id: int) -> str:
    path = request["template"].replace("{owner}", ORG).replace("{repo}", repo, 1)
    path = path.replace("{repository_id}", str(repository_id))
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(m.group(1), "1"), path)


def level_of(caller: str, kind: str) -> str:
    if kind == "private" and caller in ("anonymous", "stranger"):
        return "none"
    return LEVELS[caller]


def send(client, request: dict, caller: str, repo: str, repository_id: int):
    headers = dict(request.get("headers") or {})
    if caller != "anonymous":
        headers.update(basic_auth(USERS[caller]))
    path, _, query = concrete(request, repo, repository_id).partition("?")
    if request["git"]:
        return client.simulate_request(request["method"], path, query_string=query,
                                       headers=headers, body=b"" if request["write"] or
                                       request["method"] == "POST" else None)
    return client.simulate_request(request["method"], path, headers=headers, json=request["json"])


def violation(request: dict, caller: str, kind: str, status: int, ghost: int) -> str | None:
    """What is wrong with ``status`` for this case (None: nothing)."""
    level = level_of(caller, kind)
    key = (request["method"], request["template"])
    if level == "none":
        hidden = 401 if request["git"] and caller == "anonymous" else 404
        if request.get("web") and ghost in (303, 403):
            hidden = ghost  # refused before the lookup: sign-in redirect, or no CSRF token
        if request["template"].startswith("/api/v1/user/") and caller == "anonymous":
            hidden = 401  # the caller's own (a star): Gitea's reqToken, before the lookup
        if status != hidden or ghost != hidden:
            return f"invisible repository answered {status} (a missing one {ghost}), not {hidden}"
        return None
    if not (request["write"] and 200 <= status < 300):
        return None
    if level == "read" and key not in READER_WRITES:
        return f"a write succeeded ({status}) for a caller with read"
    if kind == "archived" and key not in ARCHIVED_WRITES:
        return f"a write succeeded ({status}) on an archived repository"
    return None


def run_matrix(app, ids) -> tuple[list[dict], list[str], int]:
    client = falcon.testing.TestClient(app)
    requests = repository_routes(app)
    # Deletes last, so the administrator's deleting a repository ends its cases, not others'.
    order = sorted(requests, key=lambda request: request["method"] == "DELETE")
    wrong, sent = [], 0
    for caller in CALLERS:
        for request in order:
            ghost = send(client, request, caller, GHOST, 2 ** 31).status_code
            sent += 1
            for kind, repo in REPOSITORIES.items():
                status = send(client, request, caller, repo, ids[repo]).status_code
                sent += 1
                problem = violation(request, caller, kind, status, ghost)
                if problem:
                    wrong.append(f"{caller:>11} {kind:>8} {request['method']} "
                                 f"{request['template']}: {problem}")
    return requests, wrong, sent


def test_every_repository_route_refuses_whom_it_must(world, record_property):
    app, ids = world
    requests, wrong, sent = run_matrix(app, ids)
    routes = {request["template"].partition("?")[0] for request in requests}
    cases = len(requests) * len(CALLERS) * len(REPOSITORIES)
    # Shown in the terminal summary (tests/conftest.py), with or without -s or xdist.
    record_property("summary", f"authorization matrix: {len(requests)} routes × {len(CALLERS)} "
                    f"callers × {len(REPOSITORIES)} repositories = {cases} cases ({len(routes)} "
                    f"paths, each method a route; {sent} requests with the missing-repository "
                    "controls)")
    assert len(routes) > 80 and any(request["git"] for request in requests)
    assert wrong == [], "\n".join(wrong)
