#!/usr/bin/env python3
"""SDK for the repository endpoints of a Plue server: repositories, branches, tags, files,
raw git data, commits and forks (Gitea's /api/v1 shapes, so it works against Gitea too).

Configuration comes from the environment:

* ``PLUE_URL``   - the server, e.g. ``http://127.0.0.1:8000`` (``/api/v1`` is added when absent)
* ``PLUE_TOKEN`` - an access token (``plue admin token create --username you``)

``python scripts/repository_management.py`` exercises every call against that server and
cleans up after itself; ``--keep`` leaves the repository it made. It prints what it did and
exits 0 on success, 1 on the first failure.

    api = RepositoryAPI()
    repo = api.create_repository("notes", description="My notes", private=True)
    api.create_file("me", "notes", "README.md", b"# Notes\\n", message="Add README")
    api.create_branch("me", "notes", "draft", source="main")
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import uuid
from typing import Any

import requests

from plue_client import PlueAPIError, PlueClient


class RepositoryAPI(PlueClient):
    """Repositories and everything inside them."""

    default_timeout = 60.0

    # --- repositories -------------------------------------------------------------------------

    def create_repository(self, name: str, description: str | None = None, private: bool = False,
                          *, org: str | None = None, **options: Any) -> dict:
        """Create a repository for the caller (or in ``org``); ``options``: auto_init,
        default_branch, readme, template."""
        body = {"name": name, "description": description or "", "private": private, **options}
        return self._json("POST", f"/orgs/{org}/repos" if org else "/user/repos", expect=(201,), json=body)

    def get_repository(self, owner: str, repo: str) -> dict:
        return self._json("GET", f"/repos/{owner}/{repo}")

    def edit_repository(self, owner: str, repo: str, **fields: Any) -> dict:
        """Gitea's EditRepoOption: name (rename), description, private, default_branch, archived..."""
        return self._json("PATCH", f"/repos/{owner}/{repo}", json=fields)

    def delete_repository(self, owner: str, repo: str) -> None:
        self._request("DELETE", f"/repos/{owner}/{repo}", expect=(204,))

    def list_my_repositories(self) -> list[dict]:
        return list(self._pages("/user/repos"))

    def search_repositories(self, query: str, **params: Any) -> list[dict]:
        return self._json("GET", "/repos/search", params={"q": query, **params})["data"]

    def fork(self, owner: str, repo: str, *, organization: str | None = None,
             name: str | None = None) -> dict:
        body = {k: v for k, v in (("organization", organization), ("name", name)) if v}
        return self._json("POST", f"/repos/{owner}/{repo}/forks", expect=(202,), json=body)

    def list_forks(self, owner: str, repo: str) -> list[dict]:
        return list(self._pages(f"/repos/{owner}/{repo}/forks"))

    # --- branches and tags --------------------------------------------------------------------

    def list_branches(self, owner: str, repo: str) -> list[dict]:
        return list(self._pages(f"/repos/{owner}/{repo}/branches"))

    def get_branch(self, owner: str, repo: str, branch: str) -> dict:
        return self._json("GET", f"/repos/{owner}/{repo}/branches/{branch}")

    def create_branch(self, owner: str, repo: str, branch: str, source: str | None = None) -> dict:
        """``source`` may be a branch, a tag or a commit sha (the default branch when None)."""
        body = {"new_branch_name": branch}
        if source:
            body["old_ref_name"] = source
        return self._json("POST", f"/repos/{owner}/{repo}/branches", expect=(201,), json=body)

    def delete_branch(self, owner: str, repo: str, branch: str) -> None:
        self._request("DELETE", f"/repos/{owner}/{repo}/branches/{branch}", expect=(204,))

    def list_tags(self, owner: str, repo: str) -> list[dict]:
        return list(self._pages(f"/repos/{owner}/{repo}/tags"))

    def create_tag(self, owner: str, repo: str, tag: str, target: str = "", message: str = "") -> dict:
        return self._json("POST", f"/repos/{owner}/{repo}/tags", expect=(200, 201),
                          json={"tag_name": tag, "target": target, "message": message})

    def delete_tag(self, owner: str, repo: str, tag: str) -> None:
        self._request("DELETE", f"/repos/{owner}/{repo}/tags/{tag}", expect=(204,))

    # --- files ----------------------------------------------------------------------------------

    def get_contents(self, owner: str, repo: str, path: str = "", ref: str | None = None) -> Any:
        """A file (``content`` base64) or a directory listing."""
        suffix = f"/{path}" if path else ""
        return self._json("GET", f"/repos/{owner}/{repo}/contents{suffix}",
                          params={"ref": ref} if ref else None)

    def read_file(self, owner: str, repo: str, path: str, ref: str | None = None) -> bytes:
        return self._request("GET", f"/repos/{owner}/{repo}/raw/{path}",
                             params={"ref": ref} if ref else None).content

    def create_file(self, owner: str, repo: str, path: str, content: bytes, *, message: str = "",
                    branch: str = "", new_branch: str = "") -> dict:
        body = {"content": base64.b64encode(content).decode(), "message": message,
                "branch": branch, "new_branch": new_branch}
        return self._json("POST", f"/repos/{owner}/{repo}/contents/{path}", expect=(201,), json=body)

    def update_file(self, owner: str, repo: str, path: str, content: bytes, sha: str, *,
                    message: str = "", branch: str = "") -> dict:
        """``sha``: the file's current blob sha (from ``get_contents``); a stale one is 409."""
        body = {"content": base64.b64encode(content).decode(), "sha": sha, "message": message,
                "branch": branch}
        return self._json("PUT", f"/repos/{owner}/{repo}/contents/{path}", json=body)

    def delete_file(self, owner: str, repo: str, path: str, sha: str, *, message: str = "",
                    branch: str = "") -> dict:
        body = {"sha": sha, "message": message, "branch": branch}
        return self._json("DELETE", f"/repos/{owner}/{repo}/contents/{path}", json=body)

    def change_files(self, owner: str, repo: str, files: list[dict], *, message: str = "",
                     branch: str = "") -> dict:
        """Several operations in one commit; each ``{"operation", "path", "content"(bytes), "sha"}``."""
        operations = [{**f, "content": base64.b64encode(f["content"]).decode()} if "content" in f else f
                      for f in files]
        return self._json("POST", f"/repos/{owner}/{repo}/contents", expect=(201,),
                          json={"files": operations, "message": message, "branch": branch})

    # --- history and raw git data -----------------------------------------------------------

    def list_commits(self, owner: str, repo: str, sha: str | None = None, path: str | None = None,
                     limit: int = 50) -> list[dict]:
        params = {k: v for k, v in (("sha", sha), ("path", path)) if v}
        return list(self._pages(f"/repos/{owner}/{repo}/commits", params, limit=limit))

    def get_commit(self, owner: str, repo: str, sha: str) -> dict:
        return self._json("GET", f"/repos/{owner}/{repo}/git/commits/{sha}")

    def get_tree(self, owner: str, repo: str, sha: str, recursive: bool = False) -> dict:
        return self._json("GET", f"/repos/{owner}/{repo}/git/trees/{sha}",
                          params={"recursive": "true"} if recursive else None)

    def get_blob(self, owner: str, repo: str, sha: str) -> bytes:
        return base64.b64decode(self._json("GET", f"/repos/{owner}/{repo}/git/blobs/{sha}")["content"])

    def list_refs(self, owner: str, repo: str, prefix: str = "") -> list[dict]:
        return self._json("GET", f"/repos/{owner}/{repo}/git/refs" + (f"/{prefix}" if prefix else ""))

    def compare(self, owner: str, repo: str, base: str, head: str) -> dict:
        return self._json("GET", f"/repos/{owner}/{repo}/compare/{base}...{head}")


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    print(f"  ok: {what}")


def exercise(api: RepositoryAPI, *, keep: bool = False) -> dict:
    """Call every endpoint once, checking each answer; returns what was created."""
    owner = api._json("GET", "/user")["login"]
    name = f"sdk-repo-{uuid.uuid4().hex[:8]}"
    summary: dict[str, Any] = {"owner": owner, "repository": name}

    print(f"Creating repository '{name}'...")
    repo = api.create_repository(name, description="Test repository", private=False)
    _check(repo["name"] == name and repo["empty"] is True, "an empty repository was created")
    fetched = api.get_repository(owner, name)
    _check(fetched["name"] == name and fetched["clone_url"].endswith(f"/{owner}/{name}.git"),
           f"it is served, clone URL {fetched['clone_url']}")
    _check(any(r["name"] == name for r in api.list_my_repositories()), "it is among my repositories")

    print("Testing file operations...")
    created = api.create_file(owner, name, "README.md", b"# Test Repo", message="Add README", branch="main")
    _check(created["content"]["path"] == "README.md", f"README.md committed as {created['commit']['sha'][:10]}")
    _check(api.get_repository(owner, name)["empty"] is False, "the repository is no longer empty")
    readme = api.get_contents(owner, name, "README.md")
    _check(base64.b64decode(readme["content"]) == b"# Test Repo", "README.md reads back")
    updated = api.update_file(owner, name, "README.md", b"# Test Repo\n\nUpdated.\n", readme["sha"],
                              message="Update README")
    _check(updated["commit"]["message"].startswith("Update README"), "README.md updated")
    try:
        api.update_file(owner, name, "README.md", b"stale", readme["sha"])
        raise AssertionError("a stale sha was accepted")
    except PlueAPIError as error:
        _check(error.status == 409, "a stale sha is refused (409)")
    batch = api.change_files(owner, name, [
        {"operation": "create", "path": "src/app.py", "content": b"print('hello')\n"},
        {"operation": "create", "path": "docs/notes.md", "content": b"notes\n"},
    ], message="Add the app and notes")
    _check(len(batch["files"]) == 2, "two files in one commit")
    _check(api.read_file(owner, name, "src/app.py") == b"print('hello')\n", "raw content matches")
    _check({e["name"] for e in api.get_contents(owner, name)} == {"README.md", "src", "docs"},
           "the root lists three entries")
    notes_sha = api.get_contents(owner, name, "docs/notes.md")["sha"]
    api.delete_file(owner, name, "docs/notes.md", notes_sha, message="Drop notes")
    _check("docs" not in {e["name"] for e in api.get_contents(owner, name)}, "a file was deleted")

    print("Testing branch operations...")
    branch = api.create_branch(owner, name, "feature", source="main")
    _check(branch["name"] == "feature", "branch 'feature' created from main")
    api.create_file(owner, name, "feature.txt", b"feature work\n", branch="feature")
    comparison = api.compare(owner, name, "main", "feature")
    _check(comparison["total_commits"] == 1, "feature is one commit ahead of main")
    _check(sorted(b["name"] for b in api.list_branches(owner, name)) == ["feature", "main"],
           "both branches are listed")
    tag = api.create_tag(owner, name, "v0.1.0", target="main", message="First release")
    _check(tag["name"] == "v0.1.0", "tag v0.1.0 created")
    _check([t["name"] for t in api.list_tags(owner, name)] == ["v0.1.0"], "the tag is listed")

    print("Testing history and raw git data...")
    commits = api.list_commits(owner, name)
    _check(len(commits) == 4, f"main has {len(commits)} commits")
    head = api.get_commit(owner, name, commits[0]["sha"])
    _check(head["sha"] == commits[0]["sha"], "a single commit is served")
    tree = api.get_tree(owner, name, "main", recursive=True)
    paths = [e["path"] for e in tree["tree"]]
    _check("src/app.py" in paths, f"the recursive tree has {len(paths)} entries")
    blob_sha = next(e["sha"] for e in tree["tree"] if e["path"] == "src/app.py")
    _check(api.get_blob(owner, name, blob_sha) == b"print('hello')\n", "the blob decodes")
    _check([r["ref"] for r in api.list_refs(owner, name, "heads")] ==
           ["refs/heads/feature", "refs/heads/main"], "refs/heads lists both branches")
    api.delete_branch(owner, name, "feature")
    _check([b["name"] for b in api.list_branches(owner, name)] == ["main"], "branch 'feature' deleted")

    print("Testing edits...")
    edited = api.edit_repository(owner, name, description="Edited by the SDK", has_wiki=False)
    _check(edited["description"] == "Edited by the SDK" and edited["has_wiki"] is False,
           "description and units edited")
    summary["commits"] = len(commits)

    if not keep:
        api.delete_repository(owner, name)
        try:
            api.get_repository(owner, name)
            raise AssertionError("a deleted repository is still served")
        except PlueAPIError as error:
            _check(error.status == 404, "repository deleted (404)")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the repository in place")
    args = parser.parse_args(argv)
    try:
        api = RepositoryAPI()
        summary = exercise(api, keep=args.keep)
    except (PlueAPIError, AssertionError, ValueError, requests.RequestException) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print("✅ Repository endpoints test passed!")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
