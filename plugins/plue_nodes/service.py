"""``ctx.services["nodes"]``: what other plugins (runners) may ask of nodes, without HTTP and
without importing the nodes internals. Documented in docs/fleet.md."""

from __future__ import annotations

import contextlib
from typing import Iterator

from plue_core.errors import Forbidden
from plue_core.identity import Identity

from plue_nodes import engines, nodes
from plue_nodes.models import Node

# Team permissions that may change an organization's fleet (members with "read" only look).
WRITERS = ("write", "admin", "owner")


class NodesService:
    # The errors of docker_client(), here so callers name them without importing internals.
    EngineUnavailable = engines.EngineUnavailable
    EngineFailed = engines.EngineFailed

    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("nodes")

    @property
    def accounts(self):
        return self.ctx.services["accounts"]

    # --- who may see and change an organization's fleet ---------------------------------------

    def org_for(self, identity: Identity, org_id: str, *, write: bool = False):
        """The organization ``org_id`` (its uid or short name) if ``identity`` is a member (404
        otherwise, so outsiders cannot tell it exists); ``write`` also needs a team with write
        access."""
        org = self.accounts.pilot_org_for(identity, org_id)
        if write and not identity.is_admin and \
                self.accounts.org_permission(org, identity.user_id) not in WRITERS:
            raise Forbidden(f"changing the nodes and runners of organization {org.name!r} "
                            "needs write access to it (a team with write permission, or owner)")
        return org

    # --- nodes ----------------------------------------------------------------------------------

    # Lookups the service only exposes are the module's functions, named as attributes
    # (docs/plugins.md, "Services"; tests/core/test_service_members.py).

    # The org's node ``uid`` (404 when it is not one of the org's nodes).
    get_node = staticmethod(nodes.get_node)
    # Inside a write transaction: the node locked against deletion and moves until the
    # transaction ends (None when it is gone). Take it before recording work on a node.
    lock_node = staticmethod(nodes.lock_node)

    def node_by_id(self, node_id: int) -> Node | None:
        return Node.get_or_none(Node.id == node_id)

    def node_states(self) -> list[Node]:
        """Every node with only its ``id``, ``uid``, ``name``, ``org_id`` and ``status`` (one
        query; RunnerHub's ``node_offline`` alerts compare them from one look to the next)."""
        return list(Node.select(Node.id, Node.uid, Node.name, Node.org_id, Node.status))

    def all_nodes(self, org_id: int | None = None) -> list[Node]:
        """Every node (of organization ``org_id`` when given), by organization and name (the
        fleet dashboard)."""
        query = Node.select().order_by(Node.org_id, Node.lower_name)
        return list(query if org_id is None else query.where(Node.org_id == org_id))

    def nodes_by_id(self, node_ids) -> dict[int, Node]:
        """One query for the nodes of many rows (list endpoints)."""
        return {node.id: node for node in Node.select().where(Node.id.in_(list(node_ids)))}

    def reference_json(self, node: Node) -> dict:
        """``{"uid", "name"}``, as runner instances show their node."""
        return {"uid": str(node.uid), "name": node.name}

    def engine_url(self, node: Node) -> str:
        return engines.engine_url(node, self.settings["socket_path"])

    @contextlib.contextmanager
    def docker_client(self, node: Node) -> Iterator:
        """A pinged ``docker.DockerClient`` for ``node``'s engine, closed after the block.
        An engine that does not answer is EngineUnavailable (503, naming the node and the fix);
        an engine error nobody handled inside the block is EngineFailed (502)."""
        with engines.open_engine(node, self.settings["socket_path"],
                                 self.settings["engine_timeout"]) as client:
            yield client

    def translated_engine_errors(self, node: Node):
        """The same 503/502 translation for work on a client obtained earlier."""
        return engines.translated_engine_errors(node, self.settings["socket_path"])
