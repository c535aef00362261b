"""A claim's task payload reads the repository's secrets and variables in one statement (a
UNION ALL, compiled once) instead of one each, and keeps their rules: the owner's values
overridden by the repository's, secrets decrypted, none for a fork pull request but the token
(tests/plugins/actions/test_actions_server_protocol.py), vars for everyone."""

from __future__ import annotations

import re

from plue_core.testing import recorded_statements
from plue_actions.testing import ONE_JOB


def _put(actions_forge, path: str, body: dict, status: int) -> None:
    got = actions_forge.api(path.split(" ")[0], path.split(" ")[1], body)
    assert got.status_code == status, got.text


def test_the_payload_reads_secrets_and_variables_at_once_the_repository_overriding_the_owner(
        actions_forge):
    for path, body in (("PUT /user/actions/secrets/SHARED", {"data": "owner's"}),
                       ("PUT /user/actions/secrets/OWNER_ONLY", {"data": "o"}),
                       ("PUT /repos/alice/demo/actions/secrets/SHARED", {"data": "repository's"}),
                       ("POST /user/actions/variables/SHARED_VAR", {"value": "owner's"}),
                       ("POST /user/actions/variables/OWNER_VAR", {"value": "ov"}),
                       ("POST /repos/alice/demo/actions/variables/SHARED_VAR", {"value": "repository's"})):
        _put(actions_forge, path, body, 201)
    runner = actions_forge.runner()
    assert runner.fetch(timeout_ms=0) is None
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    with recorded_statements(actions_forge.ctx.db) as statements:
        task = runner.fetch(timeout_ms=0)
    reading = [sql for sql in statements if re.search(r'FROM "action_(secret|variable)" AS', sql)]
    assert len(reading) == 1 and "UNION ALL" in reading[0], reading
    secrets = task["secrets"]
    assert secrets["SHARED"] == "repository's" and secrets["OWNER_ONLY"] == "o"
    assert secrets["GITHUB_TOKEN"] == secrets["GITEA_TOKEN"] == task["context"]["token"]
    assert task["vars"] == {"SHARED_VAR": "repository's", "OWNER_VAR": "ov"}
