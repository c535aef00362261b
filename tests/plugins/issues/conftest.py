"""Fixtures for the issues tests: a forge with every kind of caller, repositories made through
the API, and a plugin that records the events the tracker publishes."""

from __future__ import annotations

import dataclasses

import falcon.testing
import pytest

from plue_core.testing import EventRecorder, UserApi, make_user


@dataclasses.dataclass
class Tracker(UserApi):
    """alice owns the public ``alice/tracker`` and the private ``alice/vault`` (wanda may write,
    rita may read both) and the organization ``acme`` with ``acme/site``; oscar has no relation
    to anything; root is a site administrator."""

    ctx: object
    client: falcon.testing.TestClient
    recorder: EventRecorder
    default_user = "alice"

    # --- making things through the API -------------------------------------------------------

    def create_repo(self, name: str, *, org: str | None = None, **options) -> dict:
        response = self.post(f"/orgs/{org}/repos" if org else "/user/repos", {"name": name, **options})
        assert response.status_code == 201, response.text
        return response.json

    def add_collaborator(self, repo: str, user: str, permission: str) -> None:
        response = self.put(f"/repos/{repo}/collaborators/{user}", {"permission": permission})
        assert response.status_code == 204, response.text

    def issue(self, repo: str = "alice/tracker", title: str = "Something is broken", *,
              as_user: str = "alice", **options) -> dict:
        response = self.post(f"/repos/{repo}/issues", {"title": title, **options}, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json

    def label(self, repo: str = "alice/tracker", name: str = "bug", color: str = "#ee0701",
              **options) -> dict:
        response = self.post(f"/repos/{repo}/labels", {"name": name, "color": color, **options})
        assert response.status_code == 201, response.text
        return response.json

    def milestone(self, repo: str = "alice/tracker", title: str = "v1.0", **options) -> dict:
        response = self.post(f"/repos/{repo}/milestones", {"title": title, **options})
        assert response.status_code == 201, response.text
        return response.json

    def comment(self, number: int, body: str = "Same here", repo: str = "alice/tracker",
                as_user: str = "alice") -> dict:
        response = self.post(f"/repos/{repo}/issues/{number}/comments", {"body": body}, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json

    def open_issues_count(self, repo: str = "alice/tracker") -> int:
        return self.get(f"/repos/{repo}").json["open_issues_count"]


def build_tracker(ctx, client, recorder) -> Tracker:
    make_user(ctx, "root", admin=True)
    for name in ("alice", "wanda", "rita", "oscar"):
        make_user(ctx, name)
    tracker = Tracker(ctx, client, recorder)
    tracker.create_repo("tracker", auto_init=True)
    tracker.create_repo("vault", auto_init=True, private=True)
    for repo in ("alice/tracker", "alice/vault"):
        tracker.add_collaborator(repo, "wanda", "write")
        tracker.add_collaborator(repo, "rita", "read")
    assert tracker.post("/orgs", {"username": "acme"}).status_code == 201
    tracker.create_repo("site", org="acme", auto_init=True)
    return tracker


@pytest.fixture
def tracker(build_app):
    recorder = EventRecorder()
    app = build_app(recorder)
    return build_tracker(app.plue, falcon.testing.TestClient(app), recorder)
