"""``plue_core.shapes.nested``: a field whose object another shape renders, read from an
attribute path or a getter, with the view handed on and None kept as null."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from plue_core.shapes import Shape, array, integer, nested, obj, string

INNER = Shape("NestedInner", [
    integer("n"),
    string("seen_by", lambda inner, view: view),
])
OUTER = Shape("NestedOuter", [
    nested(obj, "one", "child.first", shape=INNER, nullable=True),
    nested(array, "many", lambda outer, view: outer.children, items=INNER),
    nested(obj, "own", shape=INNER, nullable=True),
])


def test_nested_fields_render_the_object_their_source_names_with_the_view():
    first, second = SimpleNamespace(n=1), SimpleNamespace(n=2)
    body = OUTER(SimpleNamespace(child=SimpleNamespace(first=first), children=[first, second],
                                 own=second), "viewer")
    assert body == {"one": {"n": 1, "seen_by": "viewer"},
                    "many": [{"n": 1, "seen_by": "viewer"}, {"n": 2, "seen_by": "viewer"}],
                    "own": {"n": 2, "seen_by": "viewer"}}


def test_a_missing_object_stays_null_and_the_document_names_the_shape():
    body = OUTER(SimpleNamespace(child=SimpleNamespace(first=None), children=[], own=None))
    assert body == {"one": None, "many": [], "own": None}
    document = OUTER.openapi()["properties"]
    assert document["one"] == {"allOf": [{"$ref": "#/components/schemas/NestedInner"}],
                               "nullable": True}
    assert document["many"]["items"] == {"$ref": "#/components/schemas/NestedInner"}


def test_nested_needs_a_shape():
    with pytest.raises(ValueError, match="needs shape= or items="):
        nested(obj, "free")
