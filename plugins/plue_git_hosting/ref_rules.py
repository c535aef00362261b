"""Rules other plugins put on ref updates (branch protection, from the pulls plugin's
``protected_ref_rules`` hook), enforced before any ref moves: by git's ``pre-receive`` hook for
pushes through the git binary, by a dulwich ``update`` hook for the pure-Python transport, and
by ``repository_writes.changing_refs`` for API writes.

A rule is plain data, so git's hook process gets it through its environment and never boots
the app: ``{"ref_pattern": regex over the full ref, "rule_name", "can_push",
"can_force_push", "can_delete"}``; for each ref the first matching rule decides. A tag
protection (``tag_protections``) also carries ``"tag_pattern"``, a regex searched in the tag's
name: Gitea's ``/regexp/`` patterns are not anchored.

This module imports nothing heavy: ``python -m``-free hook processes import it directly.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
from typing import Callable

from plue_core import crash_points

ENV = "PLUE_REF_RULES"
ZERO = "0" * 40
TAGS = "refs/tags/"
HOOK_NAME = "pre-receive"


def rules_for(ctx, repository, pusher) -> list[dict]:
    """What the plugins answer for ``repository`` and ``pusher`` (none without pulls)."""
    rules: list[dict] = []
    for answer in ctx.plugins.hook.protected_ref_rules(ctx=ctx, repository=repository,
                                                       pusher=pusher):
        rules.extend(answer or [])
    return rules


def deciding_rule(rules: list[dict], ref: str) -> dict | None:
    """The rule that decides for ``ref`` (a full ref name): the first whose pattern matches."""
    return next((rule for rule in rules if _matches(rule, ref)), None)


def _matches(rule: dict, ref: str) -> bool:
    if not re.fullmatch(rule["ref_pattern"], ref):
        return False
    tag_pattern = rule.get("tag_pattern")
    return tag_pattern is None or re.search(tag_pattern, ref.removeprefix(TAGS)) is not None


def refusal(rules: list[dict], ref: str, before: str, after: str,
            is_fast_forward: Callable[[str, str], bool]) -> str | None:
    """Why moving ``ref`` from ``before`` to ``after`` is refused (Gitea's messages), or None."""
    rule = deciding_rule(rules, ref)
    if rule is None:
        return None
    if ref.startswith(TAGS):  # Gitea's pre-receive: any change of a protected tag
        return None if rule["can_push"] else f"Tag {ref.removeprefix(TAGS)} is protected"
    branch = ref.removeprefix("refs/heads/")
    if after == ZERO:
        return None if rule["can_delete"] else f"branch {branch} is protected from deletion"
    if before != ZERO and not is_fast_forward(before, after):
        if not rule["can_force_push"]:
            return f"branch {branch} is protected from force push"
        return None
    if not rule["can_push"]:
        return f"Not allowed to push to protected branch {branch}"
    return None


# --- git's pre-receive hook ---------------------------------------------------------------


def _git_is_ancestor(ancestor: str, descendant: str) -> bool:
    # git gives the hook GIT_DIR and the quarantine's object directories: the new objects
    # are visible to this child before they are part of the repository.
    return subprocess.run(["git", "merge-base", "--is-ancestor", ancestor, descendant],
                          capture_output=True).returncode == 0


def pre_receive(stdin=None, stderr=None) -> int:
    """The hook's body: one ``<old> <new> <ref>`` line per ref; non-zero refuses the push."""
    stdin, stderr = stdin or sys.stdin, stderr or sys.stderr
    if os.environ.get(crash_points.ENV):  # tests only: the worker and git die here together
        git = os.getppid()
        worker = crash_points.parent_of(git)
        crash_points.reached("push-after-objects", also_kill=(worker, git))
        crash_points.reached("push-worker-dies-in-hook", also_kill=(worker,), survive=True)
    rules = json.loads(os.environ.get(ENV) or "[]")
    refused = False
    for line in stdin:
        parts = line.split()
        if len(parts) != 3:
            continue
        reason = refusal(rules, parts[2], parts[0], parts[1], _git_is_ancestor)
        if reason:
            print(reason, file=stderr)
            refused = True
    return 1 if refused else 0


def hooks_directory(root: pathlib.Path) -> pathlib.Path:
    """A ``core.hooksPath`` holding the ``pre-receive`` hook (written once, atomically)."""
    directory = root / ".hooks"
    package_root = pathlib.Path(__file__).resolve().parents[2]
    script = (f"#!{sys.executable}\n"
              "import sys\n"
              f"sys.path.insert(0, {str(package_root)!r})\n"
              "from plue_git_hosting.ref_rules import pre_receive\n"
              "sys.exit(pre_receive())\n")
    hook = directory / HOOK_NAME
    if not hook.exists() or hook.read_text() != script:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{HOOK_NAME}.{os.getpid()}"
        temporary.write_text(script)
        temporary.chmod(0o755)
        os.replace(temporary, hook)
    return directory
