"""Gitea's tag protections: which tags only some accounts and teams may create, move or delete.

A rule's ``name_pattern`` is a regular expression between slashes (``/^v[0-9]+$/``: searched in
the tag's name, as Go's ``MatchString``) or else a glob over the whole name, as Gitea's
``gobwas/glob`` without separators: ``*`` and ``?`` cross ``/``, ``[a-z]``, ``[!a]``,
``{a,b}`` and ``\\`` escapes. A tag is free when no rule matches it; otherwise the pusher must
be on the allow-list (users or teams) of one of the rules that match. No one is exempt, not
even an administrator, as in Gitea.

The rules reach every ref change through ``ref_rules`` (git_hosting's own
``protected_ref_rules`` answer): pushes over HTTP and SSH, the tags API, releases.
"""

from __future__ import annotations

import json
import re

from plue_core.accounts.models import Account, Team, TeamMember
from plue_core.db import CompiledSelect, utcnow
from plue_core.errors import BadRequest, Forbidden, Invalid, NotFound

from plue_git_hosting.models import TagProtection

_RULES = CompiledSelect(
    lambda repository_id: TagProtection.select().where(
        TagProtection.repository == repository_id).order_by(TagProtection.id), int)


# --- patterns ----------------------------------------------------------------------------


def _glob_regex(pattern: str) -> str:
    """``pattern`` (a gobwas glob without separators) as a regular expression; ValueError
    when a class or a group is not closed."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if i + 1 == len(pattern):
                raise ValueError("the pattern ends with an escape")
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                raise ValueError("a [ is not closed")
            body = pattern[i + 1:end]
            negated = body.startswith("!")
            body = body[1:] if negated else body
            out.append("[" + ("^" if negated else "") + body.replace("\\", "\\\\")
                       .replace("[", "\\[").replace("^", "\\^") + "]")
            i = end
        elif ch == "{":
            end, depth = i + 1, 1
            while end < len(pattern) and depth:
                depth += {"{": 1, "}": -1}.get(pattern[end], 0)
                end += 1
            if depth:
                raise ValueError("a { is not closed")
            out.append("(?:" + "|".join(_glob_regex(choice)
                                        for choice in _split_choices(pattern[i + 1:end - 1]))
                       + ")")
            i = end
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _split_choices(body: str) -> list[str]:
    """``a,{b,c},d`` -> ``a``, ``{b,c}``, ``d`` (commas of nested groups stay)."""
    choices, depth, start = [], 0, 0
    for index, ch in enumerate(body):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            choices.append(body[start:index])
            start = index + 1
    return choices + [body[start:]]


def name_regex(name_pattern: str) -> str:
    """A regular expression ``re.search`` applies to a tag's name; Invalid (422) when
    ``name_pattern`` is neither a valid regexp nor a valid glob."""
    try:
        if len(name_pattern) >= 2 and name_pattern.startswith("/") and name_pattern.endswith("/"):
            regex = name_pattern[1:-1]
        else:
            regex = r"\A(?:" + _glob_regex(name_pattern) + r")\Z"
        re.compile(regex)
    except (ValueError, re.error) as exc:
        raise Invalid(f"invalid name_pattern {name_pattern!r}: {exc}") from None
    return regex


# --- who may -----------------------------------------------------------------------------


def _ids(text: str) -> list[int]:
    return [int(i) for i in json.loads(text or "[]")]


def is_allowed(rule: TagProtection, user, teams_of_user: set[int]) -> bool:
    """Gitea's ``IsUserAllowedModifyTag``: on the rule's users, or a member of one of its teams."""
    if user is None:
        return False
    return user.id in _ids(rule.allowlist_user_ids) or bool(
        teams_of_user & set(_ids(rule.allowlist_team_ids)))


def ref_rules(repository, pusher) -> list[dict]:
    """``ref_rules`` data for ``pusher``: the rules that let them change a tag first, so the
    first match decides as Gitea's "allowed by any matching rule" does."""
    rules = _RULES.rows(repository.id)
    if not rules:
        return []
    teams: set[int] = set()
    if pusher is not None and any(_ids(rule.allowlist_team_ids) for rule in rules):
        teams = {row.team_id for row in TeamMember.select(TeamMember.team)
                 .where(TeamMember.user == pusher.id)}
    answers = [{"ref_pattern": "refs/tags/.*", "tag_pattern": name_regex(rule.name_pattern),
                "rule_name": rule.name_pattern, "can_push": allowed, "can_force_push": allowed,
                "can_delete": allowed}
               for rule in rules for allowed in [is_allowed(rule, pusher, teams)]]
    return sorted(answers, key=lambda answer: not answer["can_push"])


# --- the rules -----------------------------------------------------------------------------


def rules_of(repository) -> list[TagProtection]:
    return list(_RULES.rows(repository.id))


def get_rule(repository, rule_id: int) -> TagProtection:
    rule = TagProtection.get_or_none((TagProtection.id == rule_id)
                                     & (TagProtection.repository == repository.id))
    if rule is None:
        raise NotFound(f"tag protection {rule_id} does not exist in {repository.full_name}")
    return rule


def _user_ids(names) -> list[int]:
    ids = []
    for name in names or []:
        user = Account.get_or_none((Account.lower_name == str(name).lower())
                                   & (Account.type == "user"))
        if user is None:
            raise Invalid(f"user does not exist [uid: 0, name: {name}]")
        ids.append(user.id)
    return ids


def _team_ids(repository, names) -> list[int]:
    """Teams count only for an organization's repository (Gitea ignores them otherwise)."""
    if not repository.owner.is_organization:
        return []
    ids = []
    for name in names or []:
        team = Team.get_or_none((Team.org == repository.owner_id)
                                & (Team.lower_name == str(name).lower()))
        if team is None:
            raise Invalid(f"team does not exist [org_id: {repository.owner_id}, name: {name}]")
        ids.append(team.id)
    return ids


def create_rule(repository, options: dict) -> TagProtection:
    """Gitea's checks, in its order: a pattern (400), someone allowed (400), a new pattern (403),
    the names known (422)."""
    pattern = (options.get("name_pattern") or "").strip()
    if not pattern:
        raise BadRequest("name_pattern are empty")
    users, teams = options.get("whitelist_usernames"), options.get("whitelist_teams")
    if not users and not teams:
        raise BadRequest("both whitelist_usernames and whitelist_teams are empty")
    if TagProtection.select().where((TagProtection.repository == repository.id)
                                    & (TagProtection.name_pattern == pattern)).exists():
        raise Forbidden("Tag protection already exist")
    name_regex(pattern)
    return TagProtection.create(repository=repository.id, name_pattern=pattern,
                                allowlist_user_ids=json.dumps(_user_ids(users)),
                                allowlist_team_ids=json.dumps(_team_ids(repository, teams)))


def edit_rule(repository, rule: TagProtection, changes: dict) -> TagProtection:
    """Only the fields given change (Gitea keeps an edited pattern as sent)."""
    if changes.get("name_pattern") is not None:
        rule.name_pattern = changes["name_pattern"]
        name_regex(rule.name_pattern)
    if changes.get("whitelist_teams") is not None:
        rule.allowlist_team_ids = json.dumps(_team_ids(repository, changes["whitelist_teams"]))
    if changes.get("whitelist_usernames") is not None:
        rule.allowlist_user_ids = json.dumps(_user_ids(changes["whitelist_usernames"]))
    rule.updated_at = utcnow()
    rule.save()
    return rule


def delete_rule(rule: TagProtection) -> None:
    rule.delete_instance()


def allowed_names(rule: TagProtection) -> tuple[list[str], list[str]]:
    """The rule's users and teams by name (renames follow: the rule keeps ids)."""
    user_ids, team_ids = _ids(rule.allowlist_user_ids), _ids(rule.allowlist_team_ids)
    users = {a.id: a.name for a in Account.select(Account.id, Account.name)
             .where(Account.id.in_(user_ids))} if user_ids else {}
    teams = {t.id: t.name for t in Team.select(Team.id, Team.name)
             .where(Team.id.in_(team_ids))} if team_ids else {}
    return ([users[i] for i in user_ids if i in users], [teams[i] for i in team_ids if i in teams])
