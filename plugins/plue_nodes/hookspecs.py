"""Hooks the nodes plugin adds (through ``add_hookspecs``) for plugins that run things on nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plue_core.context import PlueContext
    from plue_nodes.models import Node

hookspec = pluggy.HookspecMarker("plue")


@hookspec
def node_change_blockers(ctx: PlueContext, node: Node) -> list[str]:
    """Return why ``node`` cannot be deleted or re-pointed (type, address, port) now.

    Fires before ``DELETE /org/{org_id}/nodes/{node_id}`` and before an update that changes
    where the node's engine is. Answer with readable sentences naming what is in the way, e.g.
    ``["runner instances run on it: Runner-01/plue-runner-01-1a2b3c4d"]``; an empty list (or
    ``None``) means nothing. Any reason refuses the request with 409 and every reason.
    """
