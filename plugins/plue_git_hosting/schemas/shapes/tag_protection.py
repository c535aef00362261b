"""Gitea's ``TagProtection``."""

from __future__ import annotations

from plue_core.shapes import Shape, array, integer, string, time

from plue_git_hosting import tag_protections
from plue_git_hosting.schemas.shapes import rfc3339

TAG_PROTECTION_SHAPE = Shape("TagProtection", [
    integer("id"),
    string("name_pattern"),
    array("whitelist_usernames", lambda rule, names: names[0], items="string"),
    array("whitelist_teams", lambda rule, names: names[1], items="string"),
    time("created_at", lambda rule, _: rfc3339(rule.created_at)),
    time("updated_at", lambda rule, _: rfc3339(rule.updated_at)),
])


def tag_protection_json(rule) -> dict:
    return TAG_PROTECTION_SHAPE(rule, tag_protections.allowed_names(rule))
