"""Fixtures for the pulls tests: a forge with every kind of caller, repositories whose branches
are written through the contents API (real commits in real bare repositories), and a plugin
that records the events published."""

from __future__ import annotations

import base64
import dataclasses
import subprocess

import falcon.testing
import pytest

from plue_core.testing import EventRecorder, UserApi, make_user


@dataclasses.dataclass
class Forge(UserApi):
    """alice owns the public ``alice/project`` (wanda writes, rita reads) and the private
    ``alice/secret``; oscar has no relation to anything; root is a site administrator."""

    ctx: object
    client: falcon.testing.TestClient
    recorder: EventRecorder
    default_user = "alice"

    # --- making things -----------------------------------------------------------------------

    def create_repo(self, name: str, *, as_user: str = "alice", **options) -> dict:
        response = self.post("/user/repos", {"name": name, "auto_init": True, **options},
                             as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json

    def commit(self, repo: str, branch: str, files: dict, *, new_branch: str = "",
               as_user: str = "alice", message: str = "") -> str:
        """One commit on ``branch`` (or on ``new_branch`` started from it): ``files`` maps a
        path to its new text, or to None to delete it. Returns the commit sha."""
        operations = []
        for path, text in files.items():
            current = self.get(f"/repos/{repo}/contents/{path}", as_user=as_user,
                               params={"ref": branch})
            sha = current.json["sha"] if current.status_code == 200 else ""
            if text is None:
                operations.append({"operation": "delete", "path": path, "sha": sha})
            else:
                operations.append({"operation": "update" if sha else "create", "path": path,
                                   "sha": sha, "content": base64.b64encode(text.encode()).decode()})
        body = {"branch": branch, "files": operations,
                "message": message or f"change {', '.join(files)}"}
        if new_branch:
            body["new_branch"] = new_branch
        response = self.post(f"/repos/{repo}/contents", body, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json["commit"]["sha"]

    def branch_sha(self, repo: str, branch: str) -> str:
        response = self.get(f"/repos/{repo}/branches/{branch}")
        assert response.status_code == 200, response.text
        return response.json["commit"]["id"]

    def open_pull(self, repo: str = "alice/project", head: str = "feature", base: str = "main",
                  title: str = "Add a feature", *, as_user: str = "alice", **options) -> dict:
        response = self.post(f"/repos/{repo}/pulls", {"head": head, "base": base, "title": title,
                                                      **options}, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json

    def feature_pull(self, repo: str = "alice/project", branch: str = "feature",
                     files: dict | None = None, **options) -> dict:
        """A branch with one commit and a pull request of it into main."""
        self.commit(repo, "main", files or {f"{branch}.txt": f"{branch}\n"}, new_branch=branch)
        return self.open_pull(repo, head=branch, **options)

    def bare(self, repo: str):
        owner, name = repo.split("/")
        return self.ctx.services["git_hosting"].storage.path(owner, name)

    def git(self, repo: str, *args: str) -> str:
        return subprocess.run(["git", "--git-dir", str(self.bare(repo)), *args], check=True,
                              capture_output=True, text=True).stdout.strip()


def build_forge(ctx, client, recorder) -> Forge:
    make_user(ctx, "root", admin=True)
    for name in ("alice", "wanda", "rita", "oscar"):
        make_user(ctx, name)
    forge = Forge(ctx, client, recorder)
    forge.create_repo("project")
    forge.create_repo("secret", private=True)
    for user, permission in (("wanda", "write"), ("rita", "read")):
        response = forge.put(f"/repos/alice/project/collaborators/{user}", {"permission": permission})
        assert response.status_code == 204, response.text
    return forge


@pytest.fixture
def forge(build_app):
    recorder = EventRecorder()
    app = build_app(recorder)
    return build_forge(app.plue, falcon.testing.TestClient(app), recorder)
