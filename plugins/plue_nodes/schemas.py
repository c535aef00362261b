"""The wire shapes of seed 001 section 3. Pilot rejects unknown fields: a typo in a small
body should not pass silently."""

from __future__ import annotations

import ipaddress
import re

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from plue_core.shapes import Shape, integer, string, time
from plue_core.timestamps import rfc3339
from plue_nodes.models import NODE_STATUSES, NODE_TYPES

_HOSTNAME_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def validate_address(value: str) -> None:
    """An IPv4/IPv6 address or an RFC 1123 host name."""
    try:
        ipaddress.ip_address(value)
        return
    except ValueError:
        pass
    labels = value.rstrip(".").split(".")
    if (len(value) > 253 or not all(_HOSTNAME_LABEL.match(label) for label in labels)
            or labels[-1].isdigit()):
        raise ValidationError(f"{value!r} is neither an IP address nor a host name")


_name = validate.Length(min=1, max=100)
_port = validate.Range(min=1, max=65535, error="must be between 1 and 65535")


class NodeRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=_name)
    type = fields.String(required=True, validate=validate.OneOf(NODE_TYPES))
    ip_address = fields.String(load_default=None, allow_none=True, validate=validate_address)
    port = fields.Integer(load_default=None, allow_none=True, strict=True, validate=_port)
    status = fields.String(load_default="active", validate=validate.OneOf(NODE_STATUSES))

    @validates_schema
    def remote_needs_an_address(self, data, **kwargs):
        if data.get("type") == "Remote" and not data.get("ip_address"):
            raise ValidationError("a Remote node needs the address of its Docker engine",
                                  "ip_address")


class NodeUpdate(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(validate=_name)
    type = fields.String(validate=validate.OneOf(NODE_TYPES))
    ip_address = fields.String(allow_none=True, validate=validate_address)
    port = fields.Integer(allow_none=True, strict=True, validate=_port)
    status = fields.String(validate=validate.OneOf(NODE_STATUSES))


NODE_SHAPE = Shape("Node", [
    string("uid", lambda node, _: str(node.uid)),
    string("name"),
    string("type"),
    string("ip_address", nullable=True),
    integer("port", nullable=True),
    string("status"),
    time("created_at", lambda node, _: rfc3339(node.created_at)),  # RFC 3339, Z, to the second
])

# The seed's list and update answers carry only these fields.
NODE_SUMMARY_SHAPE = NODE_SHAPE.only("NodeSummary", ("uid", "name", "type", "status"))


def node_json(node) -> dict:
    return NODE_SHAPE(node)


def node_summary_json(node) -> dict:
    return NODE_SUMMARY_SHAPE(node)
