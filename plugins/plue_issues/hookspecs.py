"""Hooks the issues plugin adds (through ``add_hookspecs``) for the plugin that owns pull
requests: what a pull request's issue shows, and a say in its closing and reopening."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plue_core.accounts.models import Account
    from plue_core.context import PlueContext
    from plue_issues.models import Issue

hookspec = pluggy.HookspecMarker("plue")


@hookspec
def issue_pull_request_meta(ctx: PlueContext, issues: list[Issue]) -> dict[int, dict]:
    """Return ``{issue_id: {"merged", "merged_at", "draft", "html_url"}}`` for the pull-request
    rows among ``issues`` (a page of issues whose ``is_pull`` is true), in a query or two.

    Fires whenever the issue API renders pull requests (``GET .../issues?type=pulls``); the
    answer fills the ``pull_request`` field of Gitea's ``Issue``. Without an answer a pull
    request shows as neither merged nor draft.
    """


@hookspec
def issue_state_changing(ctx: PlueContext, issue: Issue, state: str, doer: Account) -> None:
    """Take part in closing (``state`` ``"closed"``) or reopening (``"open"``) ``issue``.

    Fires inside the transaction that changes the state, after the issue's row changed and
    before the repository's open counter moves, whichever path asked: the issue API, the pull
    API, a merge, a deleted branch. It fires only when the state really changes, once even
    when two requests race. Raise a ``PlueError`` to refuse the change (everything rolls back
    and the caller answers with its status); publish what the change means to your plugin in
    the same transaction. The pulls plugin refuses to reopen a merged pull request and
    publishes the ``pull_request`` ``closed`` / ``reopened`` events here.
    """
