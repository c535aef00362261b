"""Hooks git_hosting adds (through ``add_hookspecs``) and calls: branch protection as data
that another plugin (pulls) answers (git_hosting answers for its tag protections) and git_hosting enforces on every ref update, pushes and
API writes alike, and shows in its branch API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plue_core.accounts.models import Account
    from plue_core.context import PlueContext

hookspec = pluggy.HookspecMarker("plue")


@hookspec
def protected_ref_rules(ctx: PlueContext, repository, pusher: Account | None) -> list[dict]:
    """Return the rules that guard the refs of ``repository`` when ``pusher`` moves them.

    Fires before ``git receive-pack`` runs for a push over smart HTTP (the rules travel to
    git's ``pre-receive`` hook in its environment), before an API write moves a ref, and when
    the branch API shows branches (``pusher`` is then the viewer, None when anonymous). Each
    rule is ``{"ref_pattern": <regex over the full ref name>, "rule_name": str, "can_push":
    bool, "can_force_push": bool, "can_delete": bool}``, optionally with what Gitea's
    ``Branch`` shows: ``"can_merge": bool`` (default true), ``"required_approvals": int``,
    ``"enable_status_check": bool``, ``"status_check_contexts": list[str]``, or
    ``"tag_pattern"``: a regex the tag's name must also contain (git_hosting's own tag
    protections). For each ref the first rule whose pattern matches decides. Return ``[]``
    when nothing is protected.
    """


@hookspec
def tag_deletion_refusal(ctx: PlueContext, repository, tag: str) -> str | None:
    """Return why the tags API may not delete ``tag`` of ``repository`` (the message of its 409),
    or None. A push deleting the tag is not asked: the releases plugin turns the release into a
    draft then, as Gitea does."""
