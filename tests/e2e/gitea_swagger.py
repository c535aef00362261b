"""Gitea's Swagger 2.0 spec (/work/shared/reference/gitea-swagger-v1.json, copied as
``gitea_swagger_v1.json`` beside this file) as Draft 4 JSON schemas, one per response:
what the conformance test checks each /api/v1 body against.

Swagger 2.0 says nothing about null or about which fields are always sent, so the
translation adds what Gitea's Go structs do: every property is required unless its struct
tag says ``omitempty`` (``OMITTED``: then it is absent when empty, never null), and null is
allowed only where Gitea itself writes it: a pointer or slice field without ``omitempty``
that Gitea leaves nil (``NULLABLE_POINTERS``, ``NULLABLE_STRINGS``, ``NULLABLE_TIMES``).
A null anywhere else, above all where the spec says object or array, breaks a strict client
of Gitea's spec and fails the check."""

from __future__ import annotations

import copy
import datetime
import functools
import json
import pathlib
import re

import jsonschema

SPEC_PATH = pathlib.Path(__file__).with_name("gitea_swagger_v1.json")

# Fields Gitea leaves out when empty (``json:",omitempty"`` in modules/structs), per
# definition; every other property of a definition must be present.
OMITTED = {
    "ContentsResponse": {"last_commit_sha", "last_commit_message", "last_committer_date",
                         "last_author_date", "lfs_oid", "lfs_size"},
    "GitBlobResponse": {"lfs_oid", "lfs_size"},
    "ChangedFile": {"previous_filename"},
    "Repository": {"parent", "permissions", "internal_tracker", "external_tracker",
                   "external_wiki", "repo_transfer"},
}

# Pointer and slice fields without omitempty that Gitea leaves nil, so it writes null there
# (modules/structs: issue.go, pull.go, pull_review.go, hook.go, repo_commit.go).
NULLABLE_POINTERS = {
    "Issue": {"milestone", "assignee", "assignees", "pull_request"},
    "PullRequest": {"milestone", "assignee", "assignees", "merged_by"},
    "PullReview": {"team"},
    "PullReviewComment": {"resolver"},
    "PayloadCommitVerification": {"signer"},
    "Commit": {"files", "stats"},
    # modules/structs/issue_comment.go: an event names only what it changed.
    "TimelineComment": {"old_milestone", "milestone", "tracked_time", "ref_issue", "ref_comment",
                        "label", "assignee", "assignee_team", "resolve_doer", "dependent_issue"},
}

# ``*string`` fields without omitempty: Gitea sends null for them.
NULLABLE_STRINGS = {
    "ContentsResponse": {"encoding", "content", "target", "download_url", "submodule_git_url"},
    "PullRequest": {"merge_commit_sha"},
    "ActionWorkflowRun": {"previous_attempt_url"},
}

# ``*time.Time`` fields: Gitea sends null until the moment happens (closed, merged, due...).
NULLABLE_TIMES = {"closed_at", "due_date", "due_on", "merged_at", "expires_at", "archived_at",
                  "last_used_at", "mirror_updated", "submitted_at"}


def _parses_as_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date-time")(_parses_as_date_time)


@functools.cache
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _translate(node, name: str | None = None, field: str | None = None, top: bool = False,
               owner: str | None = None):
    """A Swagger schema node as Draft 4, with ``required`` and null added as described above."""
    if not isinstance(node, dict):
        return node
    nullable = not top and field in NULLABLE_POINTERS.get(owner, ())
    if "$ref" in node:
        return _nullable({"$ref": node["$ref"]}) if nullable else dict(node)
    out = {key: value for key, value in node.items()
           if not key.startswith("x-") and key not in ("properties", "items", "additionalProperties")}
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        properties = node.get("properties", {})
        out["properties"] = {key: _translate(value, field=key, owner=name) for key, value in properties.items()}
        required = sorted(set(properties) - OMITTED.get(name, set()))
        if required and name is not None:
            out["required"] = required
    if "additionalProperties" in node:
        out["additionalProperties"] = _translate(node["additionalProperties"], top=True) \
            if isinstance(node["additionalProperties"], dict) else node["additionalProperties"]
    if kind == "array":
        out["items"] = _translate(node.get("items", {}), top=True)
        return _nullable(out) if nullable else out
    if kind == "string" and node.get("format") == "date-time" and field in NULLABLE_TIMES:
        return _nullable(out)
    if kind == "string" and field in NULLABLE_STRINGS.get(owner, ()):
        return _nullable(out)
    return out


@functools.cache
def definitions() -> dict:
    return {name: _translate(body, name=name, top=True) for name, body in spec()["definitions"].items()}


def _template_regex(template: str) -> re.Pattern:
    # A file path or a trailing ref may hold slashes (contents/src/app.py, git/refs/heads/main).
    pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: "(.+)" if m.group(1) == "filepath" else "([^/]+)",
                     re.escape(template))
    pattern = re.sub(r"\(\[\^/\]\+\)$", "(.+)", pattern) if template.endswith("{ref}") else pattern
    return re.compile("^" + pattern + "$")


@functools.cache
def _templates() -> list[tuple[re.Pattern, str]]:
    # Most literal text first: /issues/comments wins over /issues/{index}, and
    # /pulls/{index}.{diffType} over /pulls/{index} (a placeholder may hold a dot: my.repo).
    literal = lambda path: len(re.sub(r"\{\w+\}", "", path))  # noqa: E731
    ordered = sorted(spec()["paths"], key=lambda path: (-literal(path), path.count("{")))
    return [(_template_regex(path), path) for path in ordered]


def template_for(path: str) -> str | None:
    """The spec's path template (``/repos/{owner}/{repo}``) a concrete /api/v1 path answers to."""
    path = path.split("?")[0].removeprefix("/api/v1")
    for regex, template in _templates():
        if regex.match(path):
            return template
    return None


def response_schema(method: str, template: str, status: int) -> tuple[bool, dict | None]:
    """(documented, schema): whether the spec lists ``status`` for the operation, and the Draft 4
    schema of its body (None when the spec documents no body)."""
    operation = spec()["paths"].get(template, {}).get(method.lower())
    if operation is None:
        return False, None
    response = operation["responses"].get(str(status))
    if response is None:
        return False, None
    if "$ref" in response:
        response = spec()["responses"][response["$ref"].rsplit("/", 1)[1]]
    if "schema" not in response:
        return True, None
    schema = copy.deepcopy(_translate(response["schema"], top=True))
    schema["definitions"] = definitions()
    return True, schema


def problems(body, schema: dict) -> list[str]:
    """Every place ``body`` breaks ``schema``, each naming the field path."""
    validator = jsonschema.Draft4Validator(schema, format_checker=FORMATS)
    found = []
    for error in validator.iter_errors(body):
        where = "/".join(str(part) for part in error.absolute_path) or "<body>"
        detail = error.message
        for sub in error.context or ():  # anyOf [X, null]: say why X failed
            if sub.relative_schema_path and sub.relative_schema_path[0] == 0:
                inner = "/".join(str(part) for part in sub.absolute_path)
                found.append(f"{inner or where}: {sub.message[:300]}")
        if error.context:
            continue
        found.append(f"{where}: {detail[:300]}")
    return sorted(set(found))
