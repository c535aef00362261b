"""Branch protection, as Gitea's protected-branch rules: which rule covers a branch, who may
push, force-push or merge into it, and what a merge needs (approvals, no requested changes,
an up-to-date head).

A rule's name is a branch name (matched ignoring case) or a glob: ``*`` and ``?`` stay within
one path segment, ``**`` crosses ``/``, ``[abc]`` and ``{a,b}`` as usual. Plain names win over
globs; otherwise the lower ``priority``, then the older rule, wins. A protected branch can
never be deleted.
"""

from __future__ import annotations

import json
import re

from plue_core.accounts.models import Account
from plue_core.constraints import unique_write
from plue_core.db import CompiledSelect, utcnow
from plue_core.errors import BadRequest, Forbidden, Invalid, NotFound

from plue_pulls.models import BranchProtection, Review

GLOB_CHARACTERS = set("*?[{")
BOOLEANS = (
    "enable_push", "enable_push_whitelist", "push_whitelist_deploy_keys", "enable_force_push",
    "enable_force_push_allowlist", "force_push_allowlist_deploy_keys", "enable_merge_whitelist",
    "enable_status_check", "enable_approvals_whitelist", "block_on_rejected_reviews",
    "block_on_official_review_requests", "block_on_outdated_branch", "dismiss_stale_approvals",
    "ignore_stale_approvals", "require_signed_commits", "block_admin_merge_override",
    "enable_bypass_allowlist",
)
USER_LISTS = ("push_whitelist_usernames", "force_push_allowlist_usernames",
              "merge_whitelist_usernames", "approvals_whitelist_username",
              "bypass_allowlist_usernames")
TEAM_LISTS = ("push_whitelist_teams", "force_push_allowlist_teams", "merge_whitelist_teams",
              "approvals_whitelist_teams", "bypass_allowlist_teams")
STRINGS = ("protected_file_patterns", "unprotected_file_patterns")


def is_glob(rule_name: str) -> bool:
    return any(ch in GLOB_CHARACTERS for ch in rule_name)


def glob_regex(pattern: str) -> str:
    """A rule name as a regular expression over a branch name (case is ignored)."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1:end]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif ch == "{":
            end = pattern.find("}", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                choices = pattern[i + 1:end].split(",")
                out.append("(?:" + "|".join(re.escape(c) for c in choices) + ")")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def matches(rule_name: str, branch: str) -> bool:
    if not is_glob(rule_name):
        return rule_name.lower() == branch.lower()
    return re.fullmatch(glob_regex(rule_name), branch, re.IGNORECASE) is not None


# Every push asks it (its policy, before receive-pack starts): compiled once.
_RULES = CompiledSelect(
    lambda repository_id: BranchProtection.select().where(
        BranchProtection.repository == repository_id), int)


def rules_of(repository) -> list[BranchProtection]:
    """In precedence order: plain names first, then by priority, then oldest first."""
    rows = _RULES.rows(repository.id)
    return sorted(rows, key=lambda r: (is_glob(r.rule_name), r.priority, r.id))


def rule_for(repository, branch: str) -> BranchProtection | None:
    for rule in rules_of(repository):
        if matches(rule.rule_name, branch):
            return rule
    return None


def get_rule(repository, name: str) -> BranchProtection:
    rule = BranchProtection.get_or_none((BranchProtection.repository == repository.id)
                                        & (BranchProtection.rule_name == name))
    if rule is None:
        raise NotFound(f"branch protection {name!r} does not exist in {repository.full_name}")
    return rule


# --- who is on a list ---------------------------------------------------------------------


def on_list(accounts, options: dict, users_key: str, teams_key: str, user, repository) -> bool:
    """Whether ``user`` is on a rule's list of users or teams (``accounts``: the accounts
    service, which knows the teams)."""
    if user is None:
        return False
    if user.name.lower() in {n.lower() for n in options.get(users_key) or []}:
        return True
    teams = {n.lower() for n in options.get(teams_key) or []}
    if teams and repository.owner.is_organization:
        return bool(teams & accounts.team_names_of(user.id, repository.owner_id))
    return False


def can_push(accounts, options: dict, user, repository) -> bool:
    if not options.get("enable_push"):
        return False
    return (not options.get("enable_push_whitelist")
            or on_list(accounts, options, "push_whitelist_usernames", "push_whitelist_teams", user,
                       repository))


def can_force_push(accounts, options: dict, user, repository) -> bool:
    if not can_push(accounts, options, user, repository) or not options.get("enable_force_push"):
        return False
    return (not options.get("enable_force_push_allowlist")
            or on_list(accounts, options, "force_push_allowlist_usernames",
                       "force_push_allowlist_teams",
                       user, repository))


def can_merge(accounts, options: dict, user, repository) -> bool:
    return (not options.get("enable_merge_whitelist")
            or on_list(accounts, options, "merge_whitelist_usernames", "merge_whitelist_teams",
                       user, repository))


def can_approve(accounts, options: dict | None, user, repository, writer: bool) -> bool:
    """Whether ``user``'s approval counts (Gitea's official review); ``writer``: whether they
    may write the repository."""
    if options and options.get("enable_approvals_whitelist"):
        return on_list(accounts, options, "approvals_whitelist_username", "approvals_whitelist_teams",
                       user, repository)
    return writer


def ref_rules(accounts, repository, pusher) -> list[dict]:
    """The rules git_hosting enforces on pushes and API ref writes for ``pusher``, and shows
    (for ``pusher`` as the viewer) in its branch API."""
    rules = []
    for rule in rules_of(repository):
        options = rule.options
        pattern = (re.escape(rule.rule_name) if not is_glob(rule.rule_name)
                   else glob_regex(rule.rule_name))
        rules.append({"ref_pattern": f"(?i)refs/heads/{pattern}", "rule_name": rule.rule_name,
                      "can_push": can_push(accounts, options, pusher, repository),
                      "can_force_push": can_force_push(accounts, options, pusher, repository),
                      "can_delete": False,
                      # What Gitea's Branch shows of the rule (git_hosting's branch API).
                      "can_merge": can_merge(accounts, options, pusher, repository),
                      "required_approvals": int(options.get("required_approvals") or 0),
                      "enable_status_check": bool(options.get("enable_status_check")),
                      "status_check_contexts": list(options.get("status_check_contexts") or [])})
    return rules


# --- what a merge needs -------------------------------------------------------------------


def latest_official_reviews(pull) -> list[Review]:
    """Each reviewer's latest submitted official review (earlier ones no longer count)."""
    rows = (Review.select().where((Review.pull == pull.id) & (Review.official == True)  # noqa: E712
                                  & (Review.state.in_(("APPROVED", "REQUEST_CHANGES"))))
            .order_by(Review.id))
    latest: dict[int | None, Review] = {}
    for review in rows:
        latest[review.reviewer_id] = review
    return list(latest.values())


def approvals(pull, options: dict | None) -> int:
    ignore_stale = bool(options and options.get("ignore_stale_approvals"))
    return sum(1 for review in latest_official_reviews(pull)
               if review.state == "APPROVED" and not review.dismissed
               and (not ignore_stale or review.commit_id == pull.head_sha))


def merge_blockers(pull, rule: BranchProtection | None) -> str | None:
    """Gitea's ``CheckPullBranchProtections``: the first reason the rule refuses the merge."""
    if rule is None:
        return None
    options = rule.options
    required = int(options.get("required_approvals") or 0)
    if required and approvals(pull, options) < required:
        return (f"Does not have enough approvals: {approvals(pull, options)} of {required} "
                f"required by the protection of {pull.base_branch!r}")
    if options.get("block_on_rejected_reviews") and any(
            r.state == "REQUEST_CHANGES" and not r.dismissed for r in latest_official_reviews(pull)):
        return "There are requested changes"
    if options.get("block_on_outdated_branch") and pull.commits_behind > 0:
        return "The head branch is behind the base branch"
    return None


# --- managing rules -----------------------------------------------------------------------


def _user_names(names) -> list[str]:
    found = []
    for name in names or []:
        user = Account.get_or_none((Account.lower_name == str(name).lower())
                                   & (Account.type == "user"))
        if user is None:
            raise Invalid(f"user does not exist [uid: 0, name: {name}]")
        found.append(user.name)
    return found


def _team_names(accounts, repository, names) -> list[str]:
    names = list(names or [])
    if names and not repository.owner.is_organization:
        raise Invalid("teams can only be given for repositories of an organization")
    found = []
    for name in names:
        team = accounts.team_named(repository.owner_id, name)
        if team is None:
            raise Invalid(f"team does not exist [id: 0, name: {name}]")
        found.append(team.name)
    return found


def _normalized(accounts, repository, options: dict) -> dict:
    """Gitea's coupling: allowlists only apply when what they refine is on."""
    settings = {key: bool(options.get(key)) for key in BOOLEANS}
    for key in USER_LISTS:
        settings[key] = _user_names(options.get(key))
    for key in TEAM_LISTS:
        settings[key] = _team_names(accounts, repository, options.get(key))
    for key in STRINGS:
        settings[key] = options.get(key) or ""
    settings["status_check_contexts"] = list(options.get("status_check_contexts") or [])
    settings["required_approvals"] = max(0, int(options.get("required_approvals") or 0))
    # Each setting only holds while the one it refines holds (Gitea's CreateBranchProtection).
    for refined, key in (("enable_push", "enable_push_whitelist"),
                         ("enable_push_whitelist", "push_whitelist_deploy_keys"),
                         ("enable_push", "enable_force_push"),
                         ("enable_force_push", "enable_force_push_allowlist"),
                         ("enable_force_push_allowlist", "force_push_allowlist_deploy_keys")):
        settings[key] = settings[refined] and settings[key]
    return settings


_TAKEN = "Branch protection already exist"  # Gitea's 403


def _ensure_rule_free(repository, name: str) -> None:
    if BranchProtection.select().where((BranchProtection.repository == repository.id)
                                       & (BranchProtection.rule_name == name)).exists():
        raise Forbidden(_TAKEN)


def create_rule(accounts, repository, options: dict) -> BranchProtection:
    name = (options.get("rule_name") or options.get("branch_name") or "").strip()
    if not name:
        raise BadRequest("both rule_name and branch_name are empty")
    settings = _normalized(accounts, repository, options)
    with unique_write(_TAKEN, Forbidden):  # a concurrent create that passed the check too
        _ensure_rule_free(repository, name)
        return BranchProtection.create(repository=repository.id, rule_name=name,
                                       priority=int(options.get("priority") or 0),
                                       settings=json.dumps(settings))


def edit_rule(accounts, repository, rule: BranchProtection, changes: dict) -> BranchProtection:
    """``EditBranchProtectionOption``: fields present change, the rest stay."""
    merged = {**rule.options, **{k: v for k, v in changes.items() if v is not None}}
    settings = _normalized(accounts, repository, merged)
    rule.settings = json.dumps(settings)
    if changes.get("priority") is not None:
        rule.priority = int(changes["priority"])
    rule.updated_at = utcnow()
    rule.save()
    return rule


def delete_rule(repository, name: str) -> None:
    """Delete the rule named ``name`` (404 when there is none)."""
    get_rule(repository, name).delete_instance()
