"""Creating a secret or a variable answers 201 without a body, as Gitea's ``ctx.Status(201)``:
the answer must not announce JSON (``Content-Type: application/json`` with nothing to parse
breaks a client that decodes what the header announces)."""

import pytest


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/repos/alice/demo/actions/secrets/FIRST", {"data": "s"}),
    ("PUT", "/user/actions/secrets/MINE", {"data": "m"}),
    ("POST", "/repos/alice/demo/actions/variables/FIRST_VAR", {"value": "v"}),
    ("POST", "/user/actions/variables/MY_VAR", {"value": "v"}),
])
def test_a_created_secret_or_variable_answers_201_with_no_json(actions_forge, method, path, body):
    created = actions_forge.api(method, path, body)
    assert created.status_code == 201, created.text
    assert created.content == b""
    assert not created.headers.get("content-type", "").startswith("application/json")
