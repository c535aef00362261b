"""Fixtures for the nodes tests: Runner Pilot users with JWTs and an organization."""

from __future__ import annotations

import dataclasses

import pytest

from plue_core.accounts import orgs, teams, users
from plue_core.db import connection
from plue_core.testing import make_user, pilot_bearer


@dataclasses.dataclass
class Pilot:
    """alice owns org "Gigatech" (``org_id``); dave is in its read-only team; bob is an
    outsider. ``headers[name]`` carries each one's Bearer JWT from /auth/login."""

    client: object
    org_id: str
    headers: dict

    def nodes_url(self, suffix: str = "") -> str:
        return f"/org/{self.org_id}/nodes{suffix}"


@pytest.fixture
def pilot(client, ctx) -> Pilot:
    for name in ("alice", "bob", "dave"):
        make_user(ctx, name)

    headers = {name: pilot_bearer(client, name) for name in ("alice", "bob", "dave")}
    org = client.simulate_post("/org", json={"name": "Gigatech", "short_name": "GT"},
                               headers=headers["alice"]).json
    with connection(ctx.db):
        readers = teams.create_team(orgs.find_org_by_uid(org["uid"]), name="readers",
                                    permission="read")
        teams.add_team_member(readers, users.get_user("dave"))
    return Pilot(client=client, org_id=org["uid"], headers=headers)
