"""The nodes plugin's table: one row per Docker engine an organization registered."""

from __future__ import annotations

import uuid

import peewee

from plue_core.db import BaseModel, utcnow

NODE_TYPES = ("Remote", "Socket")
NODE_STATUSES = ("active", "inactive")


class Node(BaseModel):
    uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
    # The organization's account id (no foreign key: accounts' account_deleted event tells
    # this plugin to forget an organization's nodes, as actions does for its owners).
    org_id = peewee.IntegerField(index=True)
    name = peewee.CharField(max_length=100)
    lower_name = peewee.CharField(max_length=100)
    type = peewee.CharField(max_length=16)
    ip_address = peewee.CharField(max_length=255, null=True)  # Remote: IP or host name
    port = peewee.IntegerField(null=True)
    status = peewee.CharField(max_length=16, default="active")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "pilot_node"
        indexes = ((("org_id", "lower_name"), True),)

    @property
    def is_socket(self) -> bool:
        return self.type == "Socket"


MODELS = [Node]
