"""Where artifacts live on the server, in one place (docs/actions.md, "Artifact endpoints for
the runner"): the URLs of a run's artifacts and how the runner authenticates (the task token
as a bearer token)."""

from __future__ import annotations

from urllib.parse import quote


def artifact_url(server_address: str, run_id: str, name: str) -> str:
    """``PUT`` uploads a zip of the files, ``GET`` downloads it."""
    return (f"{server_address.rstrip('/')}/api/actions/artifacts/{quote(str(run_id), safe='')}/"
            f"{quote(name, safe='')}")


def artifact_list_url(server_address: str, run_id: str) -> str:
    """``GET`` answers ``{"artifacts": [{"id", "name", "size", "digest"}]}``."""
    return f"{server_address.rstrip('/')}/api/actions/artifacts/{quote(str(run_id), safe='')}"


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
