"""What a pull request changes: its commits, its files with line counts, and the raw
``.diff`` / ``.patch``. Everything is measured from the merge base to the head (Gitea's
``base...head``), so commits that reached the base meanwhile never show up."""

from __future__ import annotations

from plue_core.errors import NotFound

from plue_pulls import mergeability
from plue_pulls.models import PullRequest


def _endpoints(service, pull: PullRequest) -> tuple[str, str]:
    """(merge base, head) of ``pull``, checked first when a push left it ``checking``."""
    mergeability.refresh_if_checking(service, pull)
    head = pull.head_sha
    git = service.git(pull.base_repository)
    if not head or not git.has_commit(head):
        raise NotFound(f"the head of pull request #{pull.issue.number} is not available")
    base = pull.merge_base
    if not base:
        tip = pull.base_sha
        base = git.merge_base(tip, head) if tip else None
        if base is None:
            raise NotFound(f"pull request #{pull.issue.number} has no merge base with "
                           f"{pull.base_branch!r}")
    return base, head


def commit_shas(service, pull: PullRequest) -> list[str]:
    """The pull request's commits, newest first: on the head and not on the base (for a
    merged pull request: since the merge base)."""
    base, head = _endpoints(service, pull)
    git = service.git(pull.base_repository)
    if pull.is_merged or not pull.base_sha:
        return git.rev_list(head, f"^{base}")
    return git.rev_list(head, f"^{pull.base_sha}")


def changed_files(service, pull: PullRequest) -> tuple[list[tuple], str]:
    base, head = _endpoints(service, pull)
    return service.git(pull.base_repository).numstat(base, head), head


def raw_diff(service, pull: PullRequest, *, patch: bool, binary: bool) -> bytes:
    base, head = _endpoints(service, pull)
    git = service.git(pull.base_repository)
    return git.format_patch(base, head) if patch else git.diff(base, head, binary=binary)


def hunk_for(service, pull: PullRequest, path: str, line: int, commit: str) -> str:
    """The diff hunk of ``path`` up to ``line`` (new-file line when positive, old-file line
    when negative), as a line comment quotes it: ``@@`` header and the lines until there."""
    base, head = _endpoints(service, pull)
    git = service.git(pull.base_repository)
    target = commit if commit and git.has_commit(commit) else head
    text = git.run("diff", "-M", "--no-color", base, target, "--", path).stdout.decode(
        "utf-8", "replace")
    if not text:
        return ""
    want_new, number = line > 0, abs(line)
    best = ""
    current: list[str] = []
    old_no = new_no = 0
    for raw in text.splitlines():
        if raw.startswith("@@"):
            current = [raw]
            header = raw.split("@@")[1].split()
            old_no = int(header[0].lstrip("-").split(",")[0]) - 1
            new_no = int(header[1].lstrip("+").split(",")[0]) - 1
            continue
        if not current:
            continue
        current.append(raw)
        if raw.startswith("-"):
            old_no += 1
        elif raw.startswith("+"):
            new_no += 1
        else:
            old_no, new_no = old_no + 1, new_no + 1
        if (want_new and new_no == number and not raw.startswith("-")) or \
                (not want_new and old_no == number and not raw.startswith("+")):
            best = "\n".join(current)
            break
    return best
