"""Integer ids in URLs are held to the database's int64 in one place: the route converter
``id`` for path segments and ``PlueRequest.get_param_as_int`` for query parameters."""

from __future__ import annotations

import re

import pytest

from plue_core.errors import Invalid, NotFound
from plue_core.integers import INT64_MAX, IdConverter, PlueRequest, parse_id
from plue_core.routing import Route

# Path fields that are not plain integer ids: an id *or a name* (Gitea looks labels and
# milestones up by either; /pulls/{index} shares its segment with /pulls/{base}/{head}), parsed
# with parse_id; and the UUIDs or names of the Runner Pilot, RunnerHub and tracked-repository
# families and of workflow files.
NOT_PLAIN_IDS = {"label_id", "milestone_id", "index", "org_id", "node_id", "runner_id",
                 "instance_id", "job_id", "repo_id", "workflow_id"}


def test_the_converter_takes_digits_up_to_int64():
    converter = IdConverter()
    assert converter.convert("1") == 1 and converter.convert(str(INT64_MAX)) == INT64_MAX
    for text in ("", "-1", "+1", " 1", "1.0", "abc", "١٢"):
        assert converter.convert(text) is None, text


def test_an_id_past_int64_is_a_404_naming_the_number():
    with pytest.raises(NotFound) as caught:
        IdConverter().convert(str(INT64_MAX + 1))
    assert str(INT64_MAX + 1) in caught.value.message


def test_parse_id_is_none_for_names_and_numbers_past_int64():
    assert parse_id("42") == 42 and parse_id(7) == 7
    assert parse_id("bug") is None and parse_id(str(INT64_MAX + 1)) is None and parse_id("-3") is None


def test_integer_query_parameters_are_64_bit(ctx):
    import falcon.testing

    def request(query):
        return PlueRequest(falcon.testing.create_environ(query_string=query))

    assert request("uid=9223372036854775807").get_param_as_int("uid") == INT64_MAX
    with pytest.raises(Invalid):
        request("uid=9223372036854775808").get_param_as_int("uid")
    with pytest.raises(Invalid):
        request("uid=-9223372036854775809").get_param_as_int("uid")


def test_every_integer_id_in_the_route_table_uses_the_id_converter(ctx):
    unconverted = []
    for plugin, route in ctx.routes:
        if not isinstance(route, Route):
            continue
        assert ":int" not in route.path, f"{plugin}: {route.path} should use {{name:id}}"
        for name in re.findall(r"\{(\w+)\}", route.path):  # fields without a converter
            if (name.endswith("_id") or name in ("id", "index")) and name not in NOT_PLAIN_IDS:
                unconverted.append((plugin, route.path, name))
    assert unconverted == []
