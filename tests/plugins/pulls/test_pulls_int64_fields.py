"""Ids in pull request bodies beyond a 64-bit integer are a 422 naming the field, as for
issues (the database cannot hold them: it used to be a 500)."""

from __future__ import annotations

import pytest

TOO_BIG = 2 ** 70


@pytest.mark.parametrize("field, value", [("milestone", TOO_BIG), ("labels", [TOO_BIG])])
def test_opening_with_an_id_beyond_64_bits_is_a_422_naming_the_field(forge, field, value):
    forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="feature")
    response = forge.post("/repos/alice/project/pulls",
                          {"title": "t", "head": "feature", "base": "main", field: value})
    assert response.status_code == 422, response.text
    assert field in response.json["message"]
    assert forge.get("/repos/alice/project/pulls").json == []


@pytest.mark.parametrize("field, value", [("milestone", TOO_BIG), ("labels", [TOO_BIG]),
                                          ("content_version", TOO_BIG)])
def test_editing_with_an_id_beyond_64_bits_is_a_422_naming_the_field(forge, field, value):
    pull = forge.feature_pull()
    response = forge.patch(f"/repos/alice/project/pulls/{pull['number']}", {field: value})
    assert response.status_code == 422, response.text
    assert field in response.json["message"]
