"""Docker engines behind nodes: one docker SDK client per use, and one translation of "the
engine does not answer" into a 503 that names the node and says how to fix it."""

from __future__ import annotations

import contextlib
from typing import Iterator

from plue_core.errors import PlueError


class EngineUnavailable(PlueError):
    """A node's Docker engine does not answer (503): the request is fine, the node is not."""

    status = 503
    code = "SERVICE_UNAVAILABLE"


class EngineFailed(PlueError):
    """A node's Docker engine answered with an error Plue cannot turn into a 4xx (502)."""

    status = 502
    code = "BAD_GATEWAY"


def engine_url(node, socket_path: str) -> str:
    """Where the docker SDK reaches the node's engine."""
    if node.is_socket:
        return socket_path
    host = node.ip_address
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"tcp://{host}:{node.port}"


def how_to_fix(node, socket_path: str) -> str:
    if node.is_socket:
        return (f"check that dockerd runs on the Plue server and that Plue may use its socket "
                f"{socket_path} (the [nodes] socket_path setting), or mark the node inactive")
    return (f"check that dockerd listens on tcp://{node.ip_address}:{node.port} "
            "(dockerd -H tcp://0.0.0.0:<port>) and is reachable from the Plue server, fix the "
            "node's ip_address/port with PUT, or mark the node inactive")


def unreachable(node, socket_path: str, exc: BaseException) -> EngineUnavailable:
    reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
    return EngineUnavailable(
        f"the Docker engine of node {node.name!r} ({engine_url(node, socket_path)}) does not "
        f"answer: {reason}; {how_to_fix(node, socket_path)}")


@contextlib.contextmanager
def translated_engine_errors(node, socket_path: str) -> Iterator[None]:
    """Connection failures become EngineUnavailable (503), other engine errors that nobody
    handled EngineFailed (502): a dead or misbehaving node is never a 500."""
    import docker
    import requests

    try:
        yield
    except PlueError:
        raise
    except docker.errors.APIError as exc:
        raise EngineFailed(f"the Docker engine of node {node.name!r} refused the request: "
                           f"{exc.explanation or exc}") from None
    except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as exc:
        raise unreachable(node, socket_path, exc) from None


@contextlib.contextmanager
def open_engine(node, socket_path: str, timeout: float) -> Iterator:
    """A pinged ``docker.DockerClient`` for ``node``, closed afterwards. Inside the block,
    connection failures are 503 and unhandled engine errors 502."""
    import docker

    with translated_engine_errors(node, socket_path):
        client = docker.DockerClient(base_url=engine_url(node, socket_path), timeout=int(timeout))
        try:
            client.ping()
            yield client
        finally:
            client.close()
