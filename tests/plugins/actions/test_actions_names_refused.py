"""A secret's or variable's name Gitea's ``ValidateName`` refuses is a 400 (``util.
ErrInvalidArgument`` in its CreateOrUpdateSecret and CreateVariable; their spec lists 400, no
422), with Gitea's error body; a missing value fails the form binding, 422, as in Gitea."""

import pytest


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/repos/alice/demo/actions/secrets/bad-name", {"data": "s"}),
    ("PUT", "/repos/alice/demo/actions/secrets/GITEA_TOKEN", {"data": "s"}),
    ("PUT", "/user/actions/secrets/1ST", {"data": "s"}),
    ("POST", "/repos/alice/demo/actions/variables/bad-name", {"value": "v"}),
    ("POST", "/user/actions/variables/GITHUB_X", {"value": "v"}),
])
def test_a_name_gitea_refuses_is_400(actions_forge, method, path, body):
    refused = actions_forge.api(method, path, body)
    assert refused.status_code == 400, refused.text
    assert "name" in refused.json["message"] and refused.json["url"].endswith("/api/swagger")


def test_a_missing_value_is_still_422(actions_forge):
    assert actions_forge.api("POST", "/repos/alice/demo/actions/variables/GOOD",
                             {"value": ""}).status_code == 422
