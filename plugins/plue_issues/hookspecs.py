"""Hooks the issues plugin adds (through ``add_hookspecs``) for the plugin that owns pull
requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plue_core.context import PlueContext
    from plugins.plue_issues.models import Issue

hookspec = pluggy.HookspecMarker("plue")


@hookspec
def issue_pull_request_meta(ctx: PlueContext, issues: list[Issue]) -> dict[int, dict]:
    """Return ``{issue_id: {"merged", "merged_at", "draft", "html_url"}}`` for the pull-request
    rows among ``issues`` (a page of issues whose ``is_pull`` is true), in a query or two.

    Fires whenever the issue API renders pull requests (``GET .../issues?type=pulls``); the
    answer fills the ``pull_request`` field of Gitea's ``Issue``. Without an answer a pull
    request shows as neither merged nor draft.
    """
