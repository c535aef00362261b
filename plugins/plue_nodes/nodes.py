"""Nodes as plain functions over the model: usable from resources, other plugins and tests."""

from __future__ import annotations

import uuid

from plue_core.db import is_sqlite, utcnow, write_transaction
from plue_core.errors import Conflict, Invalid, NotFound

from plue_nodes.models import Node

# Changing these moves the node to another engine: containers on the old one would be lost.
LOCATION_FIELDS = ("type", "ip_address", "port")


def list_nodes(org_id: int) -> list[Node]:
    return list(Node.select().where(Node.org_id == org_id).order_by(Node.created_at, Node.id))


def find_node(org_id: int, uid: str) -> Node | None:
    """The org's node with this uid, or None (also for a malformed uid)."""
    try:
        parsed = uuid.UUID(str(uid))
    except ValueError:
        return None
    return Node.get_or_none((Node.uid == parsed) & (Node.org_id == org_id))


def get_node(org_id: int, uid: str) -> Node:
    node = find_node(org_id, uid)
    if node is None:
        raise NotFound(f"node {uid} does not exist in this organization")
    return node


def lock_node(node_id: int) -> Node | None:
    """The node as stored now, locked until the surrounding transaction ends (None when gone),
    so starting an instance on a node and deleting or moving the node never interleave.
    SQLite needs no row lock: its write transactions take the database lock up front."""
    query = Node.select().where(Node.id == node_id)
    if not is_sqlite(Node._meta.database):
        query = query.for_update()
    return query.first()


def _ensure_unique_name(org_id: int, name: str, node_id: int | None = None) -> None:
    clash = Node.select().where((Node.org_id == org_id) & (Node.lower_name == name.lower()))
    if node_id is not None:
        clash = clash.where(Node.id != node_id)
    if clash.exists():
        raise Conflict(f"name: this organization already has a node named {name!r}")


def create_node(org_id: int, body: dict) -> Node:
    """A new node; a Socket node ignores ip_address/port (it is this server's engine)."""
    with write_transaction():
        _ensure_unique_name(org_id, body["name"])
        socket = body["type"] == "Socket"
        return Node.create(org_id=org_id, name=body["name"], lower_name=body["name"].lower(),
                           type=body["type"], status=body["status"],
                           ip_address=None if socket else body["ip_address"],
                           port=None if socket else (body.get("port") or 2375))


def change_blockers(ctx, node: Node) -> list[str]:
    """Why ``node`` cannot be deleted or moved, from every plugin (runners: its instances)."""
    reasons: list[str] = []
    for answer in ctx.plugins.hook.node_change_blockers(ctx=ctx, node=node):
        reasons.extend(answer or ())
    return reasons


def update_node(ctx, node: Node, changes: dict) -> Node:
    """Apply a partial update; moving a node that still runs instances is refused (409)."""
    with write_transaction():
        if "name" in changes:
            _ensure_unique_name(node.org_id, changes["name"], node.id)
            node.name, node.lower_name = changes["name"], changes["name"].lower()
        new_type = changes.get("type", node.type)
        moved = any(field in changes and changes[field] != getattr(node, field)
                    for field in LOCATION_FIELDS)
        if new_type == "Socket":
            changes = {**changes, "ip_address": None, "port": None}
            moved = node.type != "Socket"
        if moved:
            lock_node(node.id)
            reasons = change_blockers(ctx, node)
            if reasons:
                raise Conflict(f"node {node.name!r} cannot move to another engine: "
                               f"{'; '.join(reasons)}")
        node.type = new_type
        for field in ("ip_address", "port", "status"):
            if field in changes:
                setattr(node, field, changes[field])
        if node.type == "Remote":
            if not node.ip_address:
                raise Invalid("ip_address: a Remote node needs the address of its Docker engine")
            node.port = node.port or 2375
        node.updated_at = utcnow()
        node.save()
        return node


def delete_node(ctx, node: Node) -> None:
    """Delete ``node``; refused (409) while anything runs on it."""
    with write_transaction():
        lock_node(node.id)
        reasons = change_blockers(ctx, node)
        if reasons:
            raise Conflict(f"node {node.name!r} cannot be deleted: {'; '.join(reasons)}; "
                           "delete those runner instances first")
        node.delete_instance()


def forget_org(org_id: int) -> None:
    """The organization is being deleted: its nodes go with it."""
    Node.delete().where(Node.org_id == org_id).execute()
