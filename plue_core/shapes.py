"""Response shapes: one definition per JSON body, which both renders it and documents it.

A :class:`Shape` lists its fields in wire order; each field says its OpenAPI type (``string``,
``integer``, ``time``…, nullable or not, left out when empty as Gitea's ``omitempty``) and where
its value comes from: an attribute of the rendered object (the default, its own name, or a
dotted path), a constant, or a function ``get(obj, view)``. ``view`` is whatever the caller
passes beside the object: the request's presenter, the URLs computed once for a body, a tuple
of precomputed values. From that one list the shape builds, once:

* a plain function ``shape(obj, view=None) -> dict`` (generated source: attribute reads and
  constants are inlined, so rendering costs what a hand-written dict literal costs), and
* its OpenAPI component (:meth:`Shape.openapi`), which ``plue_core.openapi`` serves under
  ``shape.name`` for every responder whose ``@operation(response=...)`` names the shape.

Example::

    LABEL = Shape("Label", [
        integer("id"),
        string("name"),
        string("color", lambda label, view: label.color.lstrip("#")),
        string("url", lambda label, view: view.label_url(label)),
        boolean("is_archived", lambda label, view: label.archived_at is not None),
    ])
    LABEL(label, presenter)            # {"id": 1, "name": "bug", ...}
    LABEL.many(labels, presenter)      # [{...}, ...]

A field that embeds another shape names it (``shape=USER``): its value is that shape's body
(the getter renders it, or :func:`nested` builds that getter from where the object is), and
the document refers to the other component.
"""

from __future__ import annotations

import operator
from typing import Any, Callable, Iterable

_ATTRIBUTE = object()  # the source: the attribute named like the field

# OpenAPI (type, format) of each field kind.
_KINDS = {"string": ("string", None), "integer": ("integer", None), "number": ("number", None),
          "boolean": ("boolean", None), "time": ("string", "date-time"), "object": ("object", None),
          "array": ("array", None)}
_JSON_TYPES = {"string": (str,), "integer": (int,), "number": (int, float),
               "boolean": (bool,), "object": (dict,), "array": (list, tuple)}


class Field:
    """One property of a shape; build fields with :func:`string`, :func:`integer`, etc."""

    __slots__ = ("name", "kind", "source", "constant", "has_constant", "nullable", "omit_empty",
                 "shape", "items", "description")

    def __init__(self, name: str, kind: str, source: Any = _ATTRIBUTE, *, const: Any = _ATTRIBUTE,
                 nullable: bool = False, omit_empty: bool = False, shape: "Shape | None" = None,
                 items: "str | Shape | None" = None, description: str = ""):
        if kind not in _KINDS:
            raise ValueError(f"{name}: unknown kind {kind!r}")
        self.name, self.kind, self.source = name, kind, source
        self.has_constant = const is not _ATTRIBUTE
        self.constant = const if self.has_constant else None
        self.nullable, self.omit_empty = nullable, omit_empty
        self.shape, self.items, self.description = shape, items, description

    def openapi(self) -> dict:
        if self.shape is not None:
            schema: dict = {"$ref": _ref(self.shape)}
            return {"allOf": [schema], "nullable": True} if self.nullable else schema
        kind, fmt = _KINDS[self.kind]
        schema = {"type": kind}
        if fmt:
            schema["format"] = fmt
        if self.kind == "array":
            schema["items"] = _item_schema(self.items)
        if self.nullable:
            schema["nullable"] = True
        if self.description:
            schema["description"] = self.description
        return schema


def _ref(shape: "Shape") -> str:
    return f"#/components/schemas/{shape.name}"


def _item_schema(items: "str | Shape | None") -> dict:
    if isinstance(items, Shape):
        return {"$ref": _ref(items)}
    if items is None:
        return {"type": "object"}
    kind, fmt = _KINDS[items]
    return {"type": kind, "format": fmt} if fmt else {"type": kind}


def _field(kind: str) -> Callable[..., Field]:
    def build(name: str, source: Any = _ATTRIBUTE, **options) -> Field:
        return Field(name, kind, source, **options)
    build.__name__ = kind
    build.__doc__ = (f"A {kind} field: ``source`` is an attribute name or dotted path (default: "
                     f"the field's name) or ``get(obj, view)``; ``const=`` for a fixed value.")
    return build


string = _field("string")
integer = _field("integer")
number = _field("number")
boolean = _field("boolean")
time = _field("time")          # an RFC 3339 string (plue_core.timestamps renders it)
obj = _field("object")         # a nested body: ``shape=`` names its shape, else free-form
array = _field("array")        # ``items=`` a kind ("string") or a Shape


def _is_literal(value: Any) -> bool:
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_literal(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_literal(v) for k, v in value.items())
    return False


def item(key: str) -> Callable[[Any, Any], Any]:
    """A getter reading ``obj[key]``, for bodies gathered into a dict first."""
    def get(obj: Any, view: Any) -> Any:
        return obj[key]
    get.__name__ = f"item_{key}"
    return get


def nested(build: Callable[..., Field], name: str, source: Any = _ATTRIBUTE,
           **options) -> Field:
    """A field whose source (an attribute name or dotted path, by default the field's name,
    or ``get(obj, view)``) gives an object that the shape named by ``shape=`` (one) or
    ``items=`` (a list of them) renders with the same view; ``None`` stays ``None``."""
    inner = options.get("shape")
    many = inner is None
    inner = inner if inner is not None else options.get("items")
    if not isinstance(inner, Shape):
        raise ValueError(f"{name}: nested() needs shape= or items= naming a Shape")
    if callable(source):
        read = source
    else:
        attribute = operator.attrgetter(name if source is _ATTRIBUTE else source)

        def read(obj: Any, view: Any) -> Any:
            return attribute(obj)
    render = inner.many if many else inner.render

    def get(obj: Any, view: Any) -> Any:
        value = read(obj, view)
        return None if value is None else render(value, view)
    get.__name__ = f"nested_{name}"
    return build(name, get, **options)


class Shape:
    """A named response body: ``shape(obj, view=None) -> dict`` and ``shape.openapi()``."""

    def __init__(self, name: str, fields: Iterable[Field], *, description: str = ""):
        self.name = name
        self.description = description
        self.fields = tuple(fields)
        names = [f.name for f in self.fields]
        duplicated = {n for n in names if names.count(n) > 1}
        if duplicated:
            raise ValueError(f"shape {name}: fields declared twice: {sorted(duplicated)}")
        self.render = self._compile()

    def __call__(self, obj: Any, view: Any = None) -> dict:
        return self.render(obj, view)

    def many(self, objects: Iterable[Any], view: Any = None) -> list[dict]:
        render = self.render
        return [render(o, view) for o in objects]

    def only(self, name: str, names: Iterable[str]) -> "Shape":
        """Some of this shape's fields, in the order of ``names``, as its own component
        ``name``: the summary a list or an update answers where the item answers the whole."""
        by_name = {f.name: f for f in self.fields}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise ValueError(f"shape {self.name} has no fields {unknown}")
        return Shape(name, [by_name[n] for n in names], description=self.description)

    def __repr__(self) -> str:
        return f"<Shape {self.name}: {len(self.fields)} fields>"

    def _compile(self) -> Callable[[Any, Any], dict]:
        """Generate ``def render(obj, view)`` returning the dict literal of every field."""
        scope: dict[str, Any] = {}
        items, omitted = [], []
        for index, field in enumerate(self.fields):
            if field.has_constant:
                if not _is_literal(field.constant):
                    raise ValueError(f"{self.name}.{field.name}: constant is not JSON-like")
                value = repr(field.constant)  # a literal: a fresh list or dict on each call
            elif callable(field.source):
                scope[f"get_{index}"] = field.source
                value = f"get_{index}(obj, view)"
            else:
                path = field.name if field.source is _ATTRIBUTE else field.source
                if not all(part.isidentifier() for part in path.split(".")):
                    raise ValueError(f"{self.name}.{field.name}: bad attribute path {path!r}")
                value = f"obj.{path}"
            items.append(f"        {field.name!r}: {value},")
            if field.omit_empty:
                omitted.append(field.name)
        lines = ["def render(obj, view=None):", "    body = {", *items, "    }"]
        for name in omitted:
            lines += [f"    if body[{name!r}] is None:", f"        del body[{name!r}]"]
        lines.append("    return body")
        exec(compile("\n".join(lines), f"<shape {self.name}>", "exec"), scope)  # noqa: S102
        render = scope["render"]
        render.__qualname__ = render.__name__ = f"render_{self.name}"
        render.__doc__ = f"Gitea's ``{self.name}`` body (plue_core.shapes)."
        return render

    # --- the document ---------------------------------------------------------------------

    def openapi(self) -> dict:
        """The OpenAPI 3 component: every field, its type, format and nullability."""
        schema: dict = {"type": "object",
                        "properties": {f.name: f.openapi() for f in self.fields}}
        if self.description:
            schema["description"] = self.description
        return schema

    def nested(self) -> list["Shape"]:
        """The shapes this one refers to, directly or not (each once)."""
        found: dict[str, Shape] = {}

        def walk(shape: Shape) -> None:
            for field in shape.fields:
                for inner in (field.shape, field.items):
                    if isinstance(inner, Shape) and inner.name not in found:
                        found[inner.name] = inner
                        walk(inner)
        walk(self)
        found.pop(self.name, None)
        return list(found.values())


def problems(body: Any, schema: dict, components: dict, where: str = "$") -> list[str]:
    """What in ``body`` breaks ``schema`` (an OpenAPI 3 schema from ``components``), strictly:
    a key the schema does not document, a value of another type, a null where none is allowed.
    The test that compares served components with served bodies uses it."""
    if "$ref" in schema:
        return problems(body, components[schema["$ref"].rsplit("/", 1)[-1]], components, where)
    if "allOf" in schema:
        if body is None and schema.get("nullable"):
            return []
        return [p for part in schema["allOf"] for p in problems(body, part, components, where)]
    if body is None:
        return [] if schema.get("nullable") else [f"{where}: null, not nullable"]
    kind = schema.get("type")
    if kind is None:
        return []
    if not isinstance(body, _JSON_TYPES[kind]) or (kind in ("integer", "number")
                                                    and isinstance(body, bool)):
        return [f"{where}: {type(body).__name__} where {kind} is documented"]
    found: list[str] = []
    if kind == "object" and "properties" in schema:
        for key, value in body.items():
            if key not in schema["properties"]:
                found.append(f"{where}.{key}: not documented")
            else:
                found += problems(value, schema["properties"][key], components, f"{where}.{key}")
    elif kind == "array" and "items" in schema:
        for index, value in enumerate(body):
            found += problems(value, schema["items"], components, f"{where}[{index}]")
    return found
