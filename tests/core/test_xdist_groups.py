"""tests/conftest.py groups, for ``--dist loadgroup``, the tests that use a module-scoped
fixture by their module (one xdist worker builds it once) and leaves the others ungrouped."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def shared_world():
    return object()


def test_a_test_using_a_module_scoped_fixture_is_grouped_by_its_module(request, shared_world):
    mark = request.node.get_closest_marker("xdist_group")
    assert mark is not None and mark.args == ("tests/core/test_xdist_groups.py",)


def test_a_test_without_one_is_spread_alone(request):
    assert request.node.get_closest_marker("xdist_group") is None
