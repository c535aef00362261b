#!/usr/bin/env python3
"""SDK for the user, SSH key, organization and team endpoints of a Plue server (Gitea's
/api/v1 shapes, so it works against Gitea too).

Configuration comes from the environment:

* ``PLUE_URL``   - the server, e.g. ``http://127.0.0.1:8000`` (``/api/v1`` is added when absent)
* ``PLUE_TOKEN`` - an access token (``plue admin token create --username you``)

``python scripts/user_management.py`` exercises every call against that server and cleans up
after itself; ``--keep`` leaves the organization it made. It prints what it did and exits 0
on success, 1 on the first failure.

    api = UserAPI()
    me = api.get_current_user()
    key = api.add_key("laptop", open(os.path.expanduser("~/.ssh/id_ed25519.pub")).read())
    api.create_org("acme", full_name="Acme Corp")
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any

import requests

from plue_client import PlueAPIError, PlueClient


class UserAPI(PlueClient):
    """Users, SSH keys, organizations, teams and (for site admins) user administration."""

    # --- users ----------------------------------------------------------------------------------

    def get_current_user(self) -> dict:
        """The authenticated user's profile (Gitea ``User``)."""
        return self._json("GET", "/user")

    def get_user(self, username: str) -> dict:
        return self._json("GET", f"/users/{username}")

    def search_users(self, query: str = "") -> list[dict]:
        return self._json("GET", "/users/search", params={"q": query})["data"]

    # --- SSH keys -------------------------------------------------------------------------------

    def list_keys(self) -> list[dict]:
        return list(self._pages("/user/keys"))

    def add_key(self, title: str, key: str, read_only: bool = False) -> dict:
        """Add an OpenSSH public key; the server validates and fingerprints it."""
        return self._json("POST", "/user/keys", expect=(201,),
                          json={"title": title, "key": key, "read_only": read_only})

    def get_key(self, key_id: int) -> dict:
        return self._json("GET", f"/user/keys/{key_id}")

    def delete_key(self, key_id: int) -> None:
        self._request("DELETE", f"/user/keys/{key_id}", expect=(204,))

    def list_user_keys(self, username: str) -> list[dict]:
        return list(self._pages(f"/users/{username}/keys"))

    # --- organizations --------------------------------------------------------------------------

    def create_org(self, name: str, **fields: Any) -> dict:
        """``fields``: full_name, description, website, location, visibility, email."""
        return self._json("POST", "/orgs", expect=(201,), json={"username": name, **fields})

    def get_org(self, name: str) -> dict:
        return self._json("GET", f"/orgs/{name}")

    def update_org(self, name: str, **fields: Any) -> dict:
        return self._json("PATCH", f"/orgs/{name}", json=fields)

    def delete_org(self, name: str) -> None:
        self._request("DELETE", f"/orgs/{name}", expect=(204,))

    def list_my_orgs(self) -> list[dict]:
        return list(self._pages("/user/orgs"))

    def list_user_orgs(self, username: str) -> list[dict]:
        return list(self._pages(f"/users/{username}/orgs"))

    def list_org_members(self, org: str) -> list[dict]:
        return list(self._pages(f"/orgs/{org}/members"))

    def is_org_member(self, org: str, username: str) -> bool:
        response = self._request("GET", f"/orgs/{org}/members/{username}", expect=(204, 303, 404))
        return response.status_code == 204

    def remove_org_member(self, org: str, username: str) -> None:
        self._request("DELETE", f"/orgs/{org}/members/{username}", expect=(204,))

    # --- teams ----------------------------------------------------------------------------------

    def list_teams(self, org: str) -> list[dict]:
        return list(self._pages(f"/orgs/{org}/teams"))

    def create_team(self, org: str, name: str, permission: str = "read", **fields: Any) -> dict:
        return self._json("POST", f"/orgs/{org}/teams", expect=(201,),
                          json={"name": name, "permission": permission, **fields})

    def add_team_member(self, team_id: int, username: str) -> None:
        """How someone joins an organization."""
        self._request("PUT", f"/teams/{team_id}/members/{username}", expect=(204,))

    def remove_team_member(self, team_id: int, username: str) -> None:
        self._request("DELETE", f"/teams/{team_id}/members/{username}", expect=(204,))

    def list_team_members(self, team_id: int) -> list[dict]:
        return list(self._pages(f"/teams/{team_id}/members"))

    # --- administration (site administrators only) ----------------------------------------------

    def admin_create_user(self, username: str, email: str, password: str, **fields: Any) -> dict:
        return self._json("POST", "/admin/users", expect=(201,),
                          json={"username": username, "email": email, "password": password,
                                "must_change_password": False, **fields})

    def admin_edit_user(self, username: str, **fields: Any) -> dict:
        return self._json("PATCH", f"/admin/users/{username}", json=fields)

    def admin_delete_user(self, username: str, purge: bool = False) -> None:
        self._request("DELETE", f"/admin/users/{username}", expect=(204,),
                      params={"purge": "true"} if purge else None)

    def admin_add_key(self, username: str, title: str, key: str) -> dict:
        return self._json("POST", f"/admin/users/{username}/keys", expect=(201,),
                          json={"title": title, "key": key})


def _new_public_key(comment: str) -> str:
    """A fresh ed25519 public key in OpenSSH form (the private half is thrown away)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    line = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return f"{line} {comment}"


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    print(f"  ok: {what}")


def exercise(api: UserAPI, *, keep: bool = False) -> dict:
    """Call every endpoint once, checking each answer; returns what was created."""
    suffix = uuid.uuid4().hex[:8]
    summary: dict[str, Any] = {}

    print("Fetching current user...")
    me = api.get_current_user()
    _check("id" in me and me["login"], f"current user is {me.get('login')!r} (id {me.get('id')})")
    summary["user"] = me["login"]

    print("Testing SSH key endpoints...")
    key = api.add_key(f"sdk-{suffix}", _new_public_key(f"sdk-{suffix}@plue"))
    _check(key["fingerprint"].startswith("SHA256:"), f"key {key['id']} added, {key['fingerprint']}")
    _check(any(k["id"] == key["id"] for k in api.list_keys()), "the key is listed")
    _check(api.get_key(key["id"])["title"] == f"sdk-{suffix}", "the key can be fetched")
    _check(any(k["id"] == key["id"] for k in api.list_user_keys(me["login"])),
           "the key is public under /users/{username}/keys")
    api.delete_key(key["id"])
    try:
        api.get_key(key["id"])
        raise AssertionError("a deleted key is still served")
    except PlueAPIError as error:
        _check(error.status == 404, "a deleted key is gone (404)")
    summary["deleted_key_id"] = key["id"]

    print("Testing organization endpoints...")
    org_name = f"sdk-org-{suffix}"
    org = api.create_org(org_name, full_name="SDK Test Org", visibility="private")
    _check(org["name"] == org_name, f"organization {org_name} created")
    updated = api.update_org(org_name, description="made by user_management.py")
    _check(updated["description"] == "made by user_management.py", "organization updated")
    _check(any(o["name"] == org_name for o in api.list_my_orgs()), "it is among my orgs")
    _check([m["login"] for m in api.list_org_members(org_name)] == [me["login"]],
           "its only member is its creator")
    team = api.create_team(org_name, "developers", permission="write",
                           description="people who push code")
    _check(team["permission"] == "write", f"team {team['name']} ({team['id']}) created")
    summary.update(org=org_name, team_id=team["id"])

    if me.get("is_admin"):
        print("Testing member management (as a site administrator)...")
        member = f"sdk-member-{suffix}"
        api.admin_create_user(member, f"{member}@example.com", uuid.uuid4().hex)
        api.add_team_member(team["id"], member)
        _check(api.is_org_member(org_name, member), f"{member} joined through the team")
        _check(sorted(m["login"] for m in api.list_team_members(team["id"])) == [member],
               "the team lists its member")
        summary["member"] = member
        if not keep:
            api.remove_org_member(org_name, member)
            _check(not api.is_org_member(org_name, member), f"{member} removed from the org")
            api.admin_delete_user(member)
            _check(member not in [u["login"] for u in api.search_users(member)], f"{member} deleted")

    if not keep:
        api.delete_org(org_name)
        try:
            api.get_org(org_name)
            raise AssertionError("a deleted organization is still served")
        except PlueAPIError as error:
            _check(error.status == 404, "organization deleted (404)")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true",
                        help="leave the organization (and its member) in place")
    args = parser.parse_args(argv)
    try:
        api = UserAPI()
        summary = exercise(api, keep=args.keep)
    except (PlueAPIError, AssertionError, ValueError, requests.RequestException) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print("✅ User endpoints test passed!")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
