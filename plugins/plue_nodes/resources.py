"""Seed 001 section 3: ``/org/{org_id}/nodes`` and ``/org/{org_id}/nodes/{node_id}``."""

from __future__ import annotations

from marshmallow import RAISE

from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_nodes import nodes
from plue_nodes.schemas import (
    NODE_SHAPE, NODE_SUMMARY_SHAPE, NodeRequest, NodeUpdate, node_json, node_summary_json,
)

TAGS = ("pilot",)


class _NodesResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.service = ctx.services["nodes"]

    def org(self, req, org_id, *, write: bool = False):
        identity = require_identity(req, scope=("write" if write else "read", "organization"))
        return self.service.org_for(identity, org_id, write=write)


class NodesResource(_NodesResource):
    @operation("List the organization's nodes", response=NODE_SUMMARY_SHAPE, many=True, tags=TAGS)
    def on_get(self, req, resp, org_id):
        org = self.org(req, org_id)
        resp.media = [node_summary_json(node) for node in nodes.list_nodes(org.id)]

    @operation("Create a node", request=NodeRequest, response=NODE_SHAPE, tags=TAGS)
    def on_post(self, req, resp, org_id):
        org = self.org(req, org_id, write=True)
        body = load_body(req, NodeRequest, unknown=RAISE)
        resp.media = node_json(nodes.create_node(org.id, body))


class NodeResource(_NodesResource):
    @operation("Get a node", response=NODE_SHAPE, tags=TAGS)
    def on_get(self, req, resp, org_id, node_id):
        org = self.org(req, org_id)
        resp.media = node_json(nodes.get_node(org.id, node_id))

    @operation("Update a node", request=NodeUpdate, response=NODE_SUMMARY_SHAPE, tags=TAGS)
    def on_put(self, req, resp, org_id, node_id):
        org = self.org(req, org_id, write=True)
        node = nodes.get_node(org.id, node_id)
        changes = load_body(req, NodeUpdate, unknown=RAISE)
        resp.media = node_summary_json(nodes.update_node(self.ctx, node, changes))

    @operation("Delete a node (refused while runner instances run on it)", tags=TAGS)
    def on_delete(self, req, resp, org_id, node_id):
        org = self.org(req, org_id, write=True)
        nodes.delete_node(self.ctx, nodes.get_node(org.id, node_id))
        resp.media = {"message": "Node deleted successfully."}
