"""``plue_core.shapes.keyed``: a shape over a body gathered into a dict first."""

from __future__ import annotations

from plue_core.shapes import Shape, array, integer, keyed, obj, string

INNER = Shape("KeyedInner", [keyed(integer, "n"), keyed(string, "label", nullable=True)])
OUTER = Shape("KeyedOuter", [
    keyed(string, "name"),
    keyed(obj, "one", shape=INNER, nullable=True),
    keyed(array, "many", items=INNER),
    keyed(obj, "free", nullable=True),
])


def test_keyed_fields_read_their_key_and_render_the_shapes_they_name_in_wire_order():
    gathered = {"many": [{"label": "b", "n": 2, "extra": "dropped"}], "free": {"z": 1, "a": 2},
                "one": {"label": None, "n": 1}, "name": "x"}
    body = OUTER(gathered)
    assert list(body) == ["name", "one", "many", "free"]
    assert body["one"] == {"n": 1, "label": None} and list(body["one"]) == ["n", "label"]
    assert body["many"] == [{"n": 2, "label": "b"}]  # a key the shape does not declare goes
    assert body["free"] == {"z": 1, "a": 2}          # a free-form object passes as it is


def test_a_missing_nested_body_stays_null_and_is_documented_so():
    assert OUTER({"name": "x", "one": None, "many": [], "free": None})["one"] is None
    document = OUTER.openapi()["properties"]
    assert document["one"] == {"allOf": [{"$ref": "#/components/schemas/KeyedInner"}],
                               "nullable": True}
    assert document["many"]["items"] == {"$ref": "#/components/schemas/KeyedInner"}
