"""plue_core.shapes: one declaration renders a body and documents it."""

from __future__ import annotations

import types

import pytest

from plue_core.openapi import _schema_ref
from plue_core.shapes import Shape, array, boolean, integer, obj, problems, string, time

OWNER = Shape("TestOwner", [integer("id"), string("login", "name")])
THING = Shape("TestThing", [
    integer("id"),
    string("title", "details.title"),
    string("url", lambda thing, base: f"{base}/things/{thing.id}"),
    boolean("mirror", const=False),
    array("tags", const=[], items="string"),
    obj("owner", lambda thing, base: thing.owner and OWNER(thing.owner), shape=OWNER,
        nullable=True),
    time("closed_at", nullable=True),
    obj("parent", omit_empty=True),
])


def _thing(**overrides):
    values = {"id": 7, "details": types.SimpleNamespace(title="hello"), "closed_at": None,
              "owner": types.SimpleNamespace(id=1, name="alice"), "parent": None}
    return types.SimpleNamespace(**{**values, **overrides})


def test_a_shape_renders_its_fields_in_declared_order_from_attributes_getters_and_constants():
    body = THING(_thing(), "http://x")
    assert list(body) == ["id", "title", "url", "mirror", "tags", "owner", "closed_at"]
    assert body == {"id": 7, "title": "hello", "url": "http://x/things/7", "mirror": False,
                    "tags": [], "owner": {"id": 1, "login": "alice"}, "closed_at": None}


def test_an_omitempty_field_is_left_out_when_none_and_written_otherwise():
    assert "parent" not in THING(_thing(), "")
    assert THING(_thing(parent={"id": 1}), "")["parent"] == {"id": 1}


def test_a_constant_list_is_a_fresh_object_in_every_body():
    first, second = THING(_thing(), ""), THING(_thing(), "")
    first["tags"].append("changed")
    assert second["tags"] == []


def test_many_renders_a_list_with_the_same_view():
    assert [b["url"] for b in THING.many([_thing(id=1), _thing(id=2)], "b")] == [
        "b/things/1", "b/things/2"]


def test_the_component_documents_every_field_with_its_type_and_nullability():
    document = THING.openapi()
    assert document["type"] == "object"
    assert document["properties"] == {
        "id": {"type": "integer"}, "title": {"type": "string"}, "url": {"type": "string"},
        "mirror": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}},
        "owner": {"allOf": [{"$ref": "#/components/schemas/TestOwner"}], "nullable": True},
        "closed_at": {"type": "string", "format": "date-time", "nullable": True},
        "parent": {"type": "object"}}
    assert THING.nested() == [OWNER]


def test_the_openapi_document_registers_a_shape_and_the_shapes_it_embeds():
    from apispec import APISpec

    spec = APISpec(title="t", version="1", openapi_version="3.0.3")
    assert _schema_ref(spec, THING) == {"$ref": "#/components/schemas/TestThing"}
    assert set(spec.to_dict()["components"]["schemas"]) == {"TestThing", "TestOwner"}


def test_two_different_shapes_under_one_component_name_are_refused():
    from apispec import APISpec

    spec = APISpec(title="t", version="1", openapi_version="3.0.3")
    _schema_ref(spec, OWNER)
    with pytest.raises(ValueError, match="TestOwner"):
        _schema_ref(spec, Shape("TestOwner", [integer("id")]))


def test_a_shape_and_a_marshmallow_schema_under_one_component_name_are_refused():
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin
    from marshmallow import Schema, fields

    class TestOwnerSchema(Schema):
        id = fields.Integer()

    spec = APISpec(title="t", version="1", openapi_version="3.0.3", plugins=[MarshmallowPlugin()])
    _schema_ref(spec, OWNER)
    with pytest.raises(ValueError, match="TestOwner"):
        _schema_ref(spec, TestOwnerSchema)


def test_a_field_declared_twice_or_a_constant_that_is_not_json_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        Shape("Twice", [integer("id"), string("id")])
    with pytest.raises(ValueError, match="not JSON-like"):
        Shape("Odd", [obj("value", const=object())])


def test_problems_names_undocumented_keys_wrong_types_and_unexpected_nulls():
    components = {"TestThing": THING.openapi(), "TestOwner": OWNER.openapi()}
    ref = {"$ref": "#/components/schemas/TestThing"}
    assert problems(THING(_thing(), ""), ref, components) == []
    body = {**THING(_thing(owner=None), ""), "extra": 1, "id": "7", "mirror": None}
    assert problems(body, ref, components) == [
        "$.id: str where integer is documented", "$.mirror: null, not nullable",
        "$.extra: not documented"]
    assert problems({"id": True}, ref, components) == ["$.id: bool where integer is documented"]


def test_item_reads_a_key_of_a_body_gathered_into_a_dict():
    from plue_core.shapes import item

    shape = Shape("TestCounts", [integer("total", item("n")), boolean("locked", item("locked"))])
    assert shape({"n": 3, "locked": False}) == {"total": 3, "locked": False}


def test_only_is_a_shape_of_some_fields_in_the_order_named_under_its_own_name():
    summary = THING.only("TestThingSummary", ("url", "id"))
    assert summary.name == "TestThingSummary"
    assert list(summary(_thing(), "b").items()) == [("url", "b/things/7"), ("id", 7)]
    with pytest.raises(ValueError, match="no fields"):
        THING.only("Bad", ("nope",))
