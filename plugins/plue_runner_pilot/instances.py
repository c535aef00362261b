"""Runner instances: real containers started from a runner's docker_image on a node's engine
through the docker SDK. The container is started first and the row written after it, so a
failed start leaves no row; a failed write removes the container again."""

from __future__ import annotations

import logging
import re
import uuid

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Conflict, Invalid, NotFound

from plue_runner_pilot.models import Runner, RunnerInstance
from plue_runner_pilot.runner_definitions import lock_runner

log = logging.getLogger("plue.runners")

LABEL_MANAGED = "io.plue.runner-pilot"  # every instance container carries it
LABEL_ORG, LABEL_RUNNER, LABEL_INSTANCE, LABEL_NODE = (
    "io.plue.org", "io.plue.runner", "io.plue.instance", "io.plue.node")


def container_name(runner: Runner, instance_uid: uuid.UUID) -> str:
    """``plue-<runner name>-<8 hex>``: readable in ``docker ps`` and unique per engine."""
    slug = re.sub(r"[^a-z0-9_.-]+", "-", runner.name.lower()).strip("-.") or "runner"
    return f"plue-{slug[:40]}-{instance_uid.hex[:8]}"


def list_instances(service, runner: Runner) -> list[RunnerInstance]:
    return list(runner.instances.order_by(RunnerInstance.created_at, RunnerInstance.id))


def get_instance(service, runner: Runner, uid: str) -> RunnerInstance:
    try:
        parsed = uuid.UUID(str(uid))
    except ValueError:
        parsed = None
    instance = parsed and RunnerInstance.get_or_none(
        (RunnerInstance.uid == parsed) & (RunnerInstance.runner == runner))
    if not instance:
        raise NotFound(f"runner instance {uid} does not exist for runner {runner.name!r}")
    instance.runner = runner
    return with_node(service, instance)


def with_node(service, instance: RunnerInstance) -> RunnerInstance:
    node = service.nodes.node_by_id(instance.node_id)
    instance.node = node
    instance.node_reference = service.nodes.reference_json(node) if node else None
    return instance


def node_of(instance: RunnerInstance):
    """The instance's node; the nodes plugin refuses to delete a node with instances, so a
    missing one means its rows were removed by hand."""
    if instance.node is None:
        raise Conflict(f"the node of instance {instance.instance_identifier!r} no longer exists; "
                       "delete the instance (its container cannot be reached)")
    return instance.node


def _ensure_image(service, client, node, image: str) -> None:
    import docker

    try:
        client.images.get(image)
        return
    except docker.errors.ImageNotFound:
        pass
    if not service.settings["pull_images"]:
        raise Invalid(f"docker_image: {image!r} is not on node {node.name!r}; pull it there "
                      "(docker pull) or enable [runner_pilot] pull_images")
    try:
        client.images.pull(image)
    except docker.errors.APIError as exc:
        raise Invalid(f"docker_image: {image!r} is not on node {node.name!r} and could not be "
                      f"pulled: {exc.explanation or exc}") from None


def _instance_host(client, node) -> str:
    # A socket node is the Plue server's own engine: name it as the engine names its host.
    if node.is_socket:
        return client.info().get("Name") or "localhost"
    return node.ip_address


def start_instance(service, org, runner: Runner, node) -> RunnerInstance:
    """Start a container for ``runner`` on ``node`` and record it. 409 for an inactive node,
    422 for an image the node lacks, 503/502 when its engine fails."""
    import docker

    if node.status != "active":
        raise Conflict(f"node {node.name!r} is inactive; set its status to active "
                       "(PUT /org/{org_id}/nodes/{node_id}) before starting instances on it")
    uid = uuid.uuid4()
    name = container_name(runner, uid)
    labels = {LABEL_MANAGED: "1", LABEL_ORG: str(org.uid), LABEL_RUNNER: str(runner.uid),
              LABEL_INSTANCE: str(uid), LABEL_NODE: str(node.uid)}
    environment = {
        "RUNNER_NAME": name,
        "REPO_URL": f"{service.settings['github_url'].rstrip('/')}/{runner.github_repo}",
        "GITHUB_REPOSITORY": runner.github_repo,
        "RUNNER_TOKEN": service.vault.open(runner.token_sealed),  # in memory only
        "PLUE_RUNNER_INSTANCE": str(uid),
    }
    with service.nodes.docker_client(node) as client:
        _ensure_image(service, client, node, runner.docker_image)
        host = _instance_host(client, node)
        try:
            container = client.containers.run(
                runner.docker_image, command=service.settings["container_command"] or None,
                name=name, labels=labels, environment=environment, detach=True)
        except docker.errors.APIError as exc:
            _remove_quietly(client, name, uid)  # created but not started: leave nothing behind
            raise service.nodes.EngineFailed(
                f"the Docker engine of node {node.name!r} could not start the container for "
                f"runner {runner.name!r}: {exc.explanation or exc}") from None
        try:
            container.reload()
            running = container.attrs["State"].get("Running", False)
            with write_transaction():
                if lock_runner(runner.id) is None:
                    raise Conflict(f"runner {runner.name!r} was deleted while its container "
                                   "started; the container was removed")
                current = service.nodes.lock_node(node.id)
                if current is None or current.status != "active":
                    raise Conflict(f"node {node.name!r} was deleted or deactivated while the "
                                   "container started; the container was removed")
                instance = RunnerInstance.create(
                    uid=uid, runner=runner, node_id=node.id, container_id=container.id,
                    instance_identifier=name, instance_host=host,
                    status="online" if running else "offline",
                    last_heartbeat=utcnow() if running else None)
        except BaseException:
            _remove_quietly(client, container.id, uid)
            raise
    instance.runner = runner
    return with_node(service, instance)


def _remove_quietly(client, container_ref: str, instance_uid: uuid.UUID) -> None:
    """Remove the container this start created (only if it carries this instance's label)."""
    import docker

    try:
        container = client.containers.get(container_ref)
        if container.labels.get(LABEL_INSTANCE) == str(instance_uid):
            container.remove(force=True)
    except docker.errors.NotFound:
        pass
    except Exception:  # noqa: BLE001 - the original error is the one worth reporting
        log.warning("could not remove container %s after a failed start", container_ref,
                    exc_info=True)


def container_of(client, instance: RunnerInstance):
    """The instance's container, or None when it no longer exists on the engine."""
    import docker

    try:
        return client.containers.get(instance.container_id)
    except docker.errors.NotFound:
        return None


def refresh_instance(service, instance: RunnerInstance) -> RunnerInstance:
    """Ask the engine whether the container runs; a vanished container is offline."""
    with service.nodes.docker_client(node_of(instance)) as client:
        container = container_of(client, instance)
    running = bool(container and container.attrs["State"].get("Running"))
    instance.status = "online" if running else "offline"
    if running:
        instance.last_heartbeat = utcnow()
    with write_transaction():
        RunnerInstance.update(status=instance.status, last_heartbeat=instance.last_heartbeat) \
            .where(RunnerInstance.id == instance.id).execute()
    return instance


def delete_instance(service, instance: RunnerInstance) -> None:
    """Stop (SIGTERM, then SIGKILL after stop_timeout) and remove the container, then the row.
    A container already gone is fine; an engine that does not answer keeps the row (503)."""
    if instance.node is not None:
        with service.nodes.docker_client(instance.node) as client:
            container = container_of(client, instance)
            if container is not None:
                if container.attrs["State"].get("Running"):
                    container.stop(timeout=service.settings["stop_timeout"])
                container.remove(force=True)
    with write_transaction():
        RunnerInstance.delete().where(RunnerInstance.id == instance.id).execute()
