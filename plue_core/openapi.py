"""The OpenAPI 3 document, generated from what each responder names: response bodies are
:class:`plue_core.shapes.Shape` (each its own component), request bodies marshmallow schemas.

Responders carry their documentation with ``@operation(...)``; the document is built on request
from the enabled plugins' routes, so a disabled plugin's endpoints vanish from it too. apispec
is imported by the first request for the document, not with the responders that ``operation``
marks (docs/serving.md, Memory).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable

import marshmallow

from plue_core.routing import Route
from plue_core.shapes import Shape

if TYPE_CHECKING:
    from apispec import APISpec

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


@dataclasses.dataclass(frozen=True)
class Operation:
    summary: str
    request: Any = None           # marshmallow Schema class (or instance) for the JSON body
    response: Any = None          # plue_core.shapes.Shape (or a marshmallow Schema) of the body
    many: bool = False            # the response is a list of ``response``
    status: int = 200
    tags: tuple[str, ...] = ()
    query: tuple[str, ...] = ()   # documented query parameters
    # Gitea's operationId; a mapping (route key -> id) when one responder serves several routes
    # that Gitea names apart (a scope's secrets, a commit's statuses by sha and by ref).
    operation_id: str | Mapping[str, str] | None = None
    # A body that is a plain string rather than JSON, by its media type: /markdown/raw takes
    # text/plain and the rendering operations answer text/html.
    text_request: str | None = None
    text_response: str | None = None

    def operation_id_for(self, route: Route, fallback: str) -> str:
        if isinstance(self.operation_id, Mapping):
            return self.operation_id.get(route.key, fallback)
        return self.operation_id or fallback


def operation(summary: str, **kwargs) -> Callable[[Callable], Callable]:
    """Decorate a responder with its OpenAPI description."""
    def mark(responder: Callable) -> Callable:
        responder.__plue_operation__ = Operation(summary, **kwargs)
        return responder
    return mark


def _schema_instance(schema: Any) -> marshmallow.Schema:
    """apispec needs an instance. A schema whose constructor wants request context (a base URL,
    the viewer) is built with marshmallow's own constructor: its fields live on the class."""
    if not isinstance(schema, type):
        return schema
    try:
        return schema()
    except TypeError:
        instance = schema.__new__(schema)
        marshmallow.Schema.__init__(instance)
        return instance


def _claim(spec: APISpec, name: str, owner: Any) -> bool:
    """Whether ``owner`` (a Shape, or a marshmallow schema class) must still register component
    ``name``; a name claimed by another owner is an error naming both, never a silent swap of
    one plugin's body for another's."""
    owners = spec.__dict__.setdefault("_plue_component_owners", {})
    known = owners.setdefault(name, owner)
    if known is not owner:
        raise ValueError(f"OpenAPI component {name!r} is declared twice: {known!r} and {owner!r}")
    return name not in spec.components.schemas


def _shape_ref(spec: APISpec, shape: Shape) -> dict:
    for component in (shape, *shape.nested()):
        if _claim(spec, component.name, component):
            spec.components.schema(component.name, component.openapi())
    return {"$ref": f"#/components/schemas/{shape.name}"}


def _schema_ref(spec: APISpec, schema: Any) -> dict:
    if isinstance(schema, Shape):
        return _shape_ref(spec, schema)
    schema_cls = schema if isinstance(schema, type) else type(schema)
    name = schema_cls.__name__.removesuffix("Schema")
    if _claim(spec, name, schema_cls):
        spec.components.schema(name, schema=_schema_instance(schema))
    return {"$ref": f"#/components/schemas/{name}"}


def build_spec(ctx) -> dict:
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec(title=ctx.config.site_name, version=ctx.version, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Plue API: Gitea-compatible /api/v1, Runner Pilot, "
                                        "RunnerHub and tracked repositories."})
    spec.components.security_scheme("AccessToken", {"type": "apiKey", "in": "header",
                                                     "name": "Authorization"})
    spec.components.security_scheme("BearerJWT", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("BasicAuth", {"type": "http", "scheme": "basic"})
    for plugin_name, route in ctx.routes:
        if not isinstance(route, Route):  # sinks (git smart HTTP) speak their own protocol
            continue
        operations = {}
        suffix = f"_{route.suffix}" if route.suffix else ""
        for method in HTTP_METHODS:
            responder = getattr(route.resource, f"on_{method}{suffix}", None)
            if responder is None:
                continue
            op: Operation | None = getattr(responder, "__plue_operation__", None)
            if op is None:
                continue
            entry: dict[str, Any] = {
                "summary": op.summary, "tags": list(op.tags) or [plugin_name],
                "operationId": op.operation_id_for(route, f"{plugin_name}_{method}_{route.key}"),
                "responses": {str(op.status): {"description": op.summary}},
                "security": [{"AccessToken": []}, {"BearerJWT": []}, {"BasicAuth": []}],
            }
            params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                      for n in _path_names(route.openapi_path)]
            params += [{"name": n, "in": "query", "schema": {"type": "string"}} for n in op.query]
            if params:
                entry["parameters"] = params
            if op.request is not None:
                entry["requestBody"] = {"content": {"application/json": {
                    "schema": _schema_ref(spec, op.request)}}}
            if op.text_request is not None:
                entry["requestBody"] = {"required": True, "content": {op.text_request: {
                    "schema": {"type": "string"}}}}
            if op.text_response is not None:
                entry["responses"][str(op.status)]["content"] = {op.text_response: {
                    "schema": {"type": "string"}}}
            if op.response is not None:
                ref = _schema_ref(spec, op.response)
                body = {"type": "array", "items": ref} if op.many else ref
                entry["responses"][str(op.status)]["content"] = {"application/json": {"schema": body}}
            operations[method] = entry
        if operations:
            spec.path(path=route.openapi_path, operations=operations)
    return _tidy(spec.to_dict())


def _tidy(node: Any) -> Any:
    """What apispec writes that the document must not say:

    * ``additionalProperties: false`` on every schema (marshmallow's default ``unknown=RAISE``):
      Gitea's bodies admit fields they do not list, and clients must tolerate new ones;
    * ``format: null`` / ``pattern: null`` for a ``DateTime`` with a strftime format (not
      valid OpenAPI)."""
    if isinstance(node, dict):
        return {key: _tidy(value) for key, value in node.items()
                if not (key == "additionalProperties" and value is False)
                and not (key in ("format", "pattern") and value is None)}
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    return node


def _path_names(path: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", path)
