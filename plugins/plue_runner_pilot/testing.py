"""Test helpers for runners, shipped with the plugin like ``plue_core.testing``: the settings
an app runs instances with where no GitHub runner image is reachable (a busybox script), an
organization with a Socket node (``build_fleet``), and container clean-up."""

from __future__ import annotations

import dataclasses

from plue_core.testing import BUSYBOX_IMAGE, make_user, pilot_bearer

# What an instance runs here (no GitHub runner image is reachable): log lines at three levels,
# the repository it was given, 1 MiB in its writable layer, then sleep until stopped.
CONTAINER_SCRIPT = (
    "trap 'exit 0' TERM; "
    "echo 'INFO Runner container started successfully.'; "
    "echo 'WARN Runner heartbeat delayed.' >&2; "
    "echo \"level=error repository is $REPO_URL\"; "
    "dd if=/dev/zero of=/tmp/fill bs=1024 count=1024 2>/dev/null; "
    "echo 'listening for jobs'; "
    "while true; do sleep 1; done"
)
RUNNERS_SETTINGS = {"container_command": ["/bin/sh", "-c", CONTAINER_SCRIPT],
                    "stop_timeout": 5, "disk_quota_mb": 10, "pull_images": False}


def remove_org_containers(engine, org_uid: str) -> None:
    for container in engine.containers.list(all=True, filters={"label": f"io.plue.org={org_uid}"}):
        container.remove(force=True)


@dataclasses.dataclass
class Fleet:
    """alice owns org ``org_id`` with the Socket node ``node_id``; bob is an outsider."""

    client: object
    org_id: str
    node_id: str
    headers: dict

    def url(self, suffix: str = "") -> str:
        return f"/org/{self.org_id}{suffix}"

    def create_runner(self, **fields) -> dict:
        body = {"name": "Runner-01", "docker_image": BUSYBOX_IMAGE, "github_repo": "Gigatech/my-repo",
                "github_runner_token": "ghr_1234567890abcdef", **fields}
        response = self.client.simulate_post(self.url("/runners"), json=body,
                                             headers=self.headers["alice"])
        assert response.status_code == 200, response.json
        return response.json

    def start_instance(self, runner_uid: str, node_id: str | None = None):
        return self.client.simulate_post(self.url(f"/runners/{runner_uid}/instance"),
                                         json={"node_id": node_id or self.node_id},
                                         headers=self.headers["alice"])


def build_fleet(client, ctx) -> Fleet:
    for name in ("alice", "bob"):
        make_user(ctx, name)
    headers = {name: pilot_bearer(client, name) for name in ("alice", "bob")}
    org_id = client.simulate_post("/org", json={"name": "Gigatech", "short_name": "GT"},
                                  headers=headers["alice"]).json["uid"]
    node_id = client.simulate_post(f"/org/{org_id}/nodes", json={"name": "local", "type": "Socket"},
                                   headers=headers["alice"]).json["uid"]
    return Fleet(client=client, org_id=org_id, node_id=node_id, headers=headers)
