"""References on the timeline, as Gitea records them: ``#N`` (or ``!N``, or ``owner/repo#N``)
in an issue's title or body adds an ``issue_ref`` (``pull_ref`` from a pull request) to issue
N, in a comment a ``comment_ref``, in the message of a pushed commit a ``commit_ref`` -- each
only when who wrote it may read issue N. "Closes #N" / "Fixes #N" / "Reopens #N" in a commit
pushed to the default branch (or to the branch the issue names in ``ref``) closes or reopens
N when the pusher could do so by hand; merging a pull request that says so closes or
reopens N (``merge_actions``). An edit that drops a mention neuters its reference
(``ref_action`` ``neutered``, hidden on the page), as Gitea's ``neuterCrossReferences`` does.

Everything here runs inside the transaction of the change (``service.py``, ``comments.py``)
or of the push (``on_event``), so a refused change records nothing."""

from __future__ import annotations

import dataclasses
import html
import re
import urllib.parse

from plue_core.accounts.models import Account
from plue_core.errors import NotFound
from plue_core.identity import Identity

from plue_issues.access import RepositoryAccess
from plue_issues.models import Comment, Issue, now

ISSUE_REF, COMMIT_REF, COMMENT_REF, PULL_REF = "issue_ref", "commit_ref", "comment_ref", "pull_ref"
# The references one issue, pull request or comment makes (commit references are the push's).
TEXT_REF_KINDS = (ISSUE_REF, COMMENT_REF, PULL_REF)
REF_KINDS = (*TEXT_REF_KINDS, COMMIT_REF)
CLOSES, REOPENS, NEUTERED = "closes", "reopens", "neutered"
HEADS = "refs/heads/"

# Gitea's reference: after a blank, a bracket or a quote (or at the start); before a blank,
# a bracket, a quote, the end, or a punctuation mark ending the sentence.
_REFERENCE = re.compile(
    r"(?<![^\s(\[{'\"])(?:(?P<owner>[0-9A-Za-z_.-]+)/(?P<name>[0-9A-Za-z_.-]+))?[#!]"
    r"(?P<number>[0-9]{1,18})(?=$|[\s)\]}'\"]|[:;,.?!](?:\s|$))")
_CLOSE = re.compile(r"(?i)(?:^|[\s(\[])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?[ \t]+$")
_REOPEN = re.compile(r"(?i)(?:^|[\s(\[])reopen(?:s|ed)?:?[ \t]+$")
# Code in Markdown mentions nothing (Gitea looks for references in the rendered text).
_MARKDOWN_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[^\n]*$|\Z)|`[^`\n]+`",
                            re.S | re.M)
# Enough for any keyword before a reference, with its colon and blanks.
_KEYWORD_WINDOW = 24


@dataclasses.dataclass(frozen=True)
class Mention:
    owner: str  # with ``name``: another repository's issue; both empty: the same repository's
    name: str
    number: int
    action: str  # CLOSES, REOPENS or ""


def find_mentions(text: str, *, markdown: bool) -> list[Mention]:
    """The references in ``text``, in order (Markdown: outside code spans and blocks)."""
    text = text or ""
    if markdown:
        text = _MARKDOWN_CODE.sub(" ", text)
    mentions = []
    for match in _REFERENCE.finditer(text):
        before = text[max(0, match.start() - _KEYWORD_WINDOW):match.start()]
        action = CLOSES if _CLOSE.search(before) else REOPENS if _REOPEN.search(before) else ""
        mentions.append(Mention(match["owner"] or "", match["name"] or "", int(match["number"]),
                                action))
    return mentions


class Resolver:
    """Finds the issues that mentions name, with ``doer``'s access to their repositories,
    looked up once per repository (for all the commits of a push)."""

    def __init__(self, hosting, origin_repository, doer):
        self.hosting = hosting
        self.origin = origin_repository
        self.identity = Identity(user_id=doer.id, username=doer.name, is_admin=doer.is_admin)
        self._access: dict[tuple[str, str], RepositoryAccess | None] = {}

    def _repository_access(self, mention: Mention) -> RepositoryAccess | None:
        owner, name = ((mention.owner, mention.name) if mention.name
                       else (self.origin.owner.name, self.origin.name))
        key = (owner.lower(), name.lower())
        if key not in self._access:
            try:
                granted = self.hosting.require_repository(self.identity, owner, name)
            except NotFound:  # absent, or the doer may not see it: no reference
                granted = None
            self._access[key] = None if granted is None else RepositoryAccess(granted,
                                                                               self.identity)
        return self._access[key]

    def targets(self, mentions: list[Mention]) -> list[tuple[Mention, Issue, RepositoryAccess]]:
        """Each mention whose issue exists and ``doer`` may read, with its access; one issue
        query per repository mentioned."""
        by_repository: dict[int, tuple[RepositoryAccess, list[Mention]]] = {}
        for mention in mentions:
            access = self._repository_access(mention)
            if access is not None:
                by_repository.setdefault(access.repository.id, (access, []))[1].append(mention)
        found = []
        for access, wanted in by_repository.values():
            numbers = {mention.number for mention in wanted}
            issues = {issue.number: issue for issue in Issue.select().where(
                (Issue.repository == access.repository.id) & Issue.number.in_(list(numbers)))}
            for mention in wanted:
                issue = issues.get(mention.number)
                if issue is not None and access.can_read(issue.is_pull):
                    issue.repository = access.repository
                    found.append((mention, issue, access))
        return found


def _may_close(access: RepositoryAccess, issue: Issue, doer) -> bool:
    """Gitea's rule for a keyword to act: who could close ``issue`` by hand."""
    return access.is_admin or access.can_write(issue.is_pull) or issue.poster_id == doer.id


def record_text_references(hosting, origin: Issue, doer, text: str, *, comment=None,
                           plain_text: str = "", edited: bool = False) -> None:
    """The references ``origin``'s text (its title as ``plain_text`` and its Markdown body,
    or ``comment``'s body) makes to other issues. After an ``edited`` text, references it no
    longer makes are neutered and those it still makes are not recorded twice."""
    mentions = find_mentions(plain_text, markdown=False) + find_mentions(text, markdown=True)
    if not mentions and not edited:
        return
    chosen: dict[int, list] = {}  # issue id -> [issue, action]
    for mention, target, access in Resolver(hosting, origin.repository, doer).targets(mentions):
        if target.id == origin.id:
            continue
        action = mention.action
        # Only a pull request closes or reopens, only issues, and only for who may do so
        # (a new pull request's poster in the same repository leaves that to the merger).
        if target.is_pull or not origin.is_pull:
            action = ""
        if action and not _may_close(access, target, doer) and (
                target.repository_id != origin.repository_id or comment is not None):
            action = ""
        if target.id in chosen:
            chosen[target.id][1] = action or chosen[target.id][1]
        else:
            chosen[target.id] = [target, action]
    comment_id = comment.id if comment is not None else None
    if edited:
        active = Comment.select(Comment.id, Comment.issue, Comment.ref_action).where(
            (Comment.ref_issue == origin.id) & (Comment.ref_comment == comment_id)
            & Comment.kind.in_(TEXT_REF_KINDS) & (Comment.ref_action != NEUTERED))
        stale = []
        for row in active:
            if row.issue_id in chosen and chosen[row.issue_id][1] == row.ref_action:
                del chosen[row.issue_id]
            else:
                stale.append(row.id)
        if stale:
            Comment.update(ref_action=NEUTERED).where(Comment.id.in_(stale)).execute()
    if not chosen:
        return
    kind = COMMENT_REF if comment is not None else PULL_REF if origin.is_pull else ISSUE_REF
    moment = now()
    Comment.insert_many([
        {"issue": target.id, "poster": doer.id, "kind": kind, "created_at": moment,
         "updated_at": moment, "ref_repository": origin.repository_id, "ref_issue": origin.id,
         "ref_comment": comment_id, "ref_action": action, "ref_is_pull": bool(origin.is_pull)}
        for target, action in chosen.values()]).execute()


def merge_actions(pull_issue: Issue) -> list[tuple[int, str]]:
    """What merging the pull request ``pull_issue`` does to the issues it references, as
    Gitea's ``ResolveCrossReferences``: (issue id, ``closes`` or ``reopens``) from its live
    references (its text's and its comments'), the latest per issue deciding."""
    rows = (Comment.select(Comment.issue, Comment.ref_action)
            .where((Comment.ref_issue == pull_issue.id) & Comment.kind.in_(TEXT_REF_KINDS)
                   & Comment.ref_action.in_((CLOSES, REOPENS)))
            .order_by(Comment.id))
    latest = {row.issue_id: row.ref_action for row in rows}
    return list(latest.items())


def neuter_comment_references(comment) -> None:
    """A deleted comment's references stay, neutered (Gitea)."""
    Comment.update(ref_action=NEUTERED).where(
        (Comment.ref_comment == comment.id) & (Comment.ref_action != NEUTERED)).execute()


def _commit_link(base_url: str, repository, sha: str, message: str) -> str:
    """Gitea's body of a ``commit_ref``: a link to the commit, its subject as the text."""
    prefix = urllib.parse.urlsplit(base_url).path.rstrip("/")
    subject = (message or "").split("\n", 1)[0]
    href = f"{prefix}/{repository.owner.name}/{repository.name}/commit/{urllib.parse.quote(sha)}"
    return f'<a href="{html.escape(href)}">{html.escape(subject)}</a>'


def record_commit_references(service, event) -> None:
    """The references of every commit of a branch push (``event.commit_messages``, oldest
    first), each recorded once per issue and commit however many branches carry it; a keyword
    closes or reopens the issue when pushed to the default branch (or the branch the issue
    names) by someone who may. Commits without references cost no statement."""
    if not event.is_branch or event.deleted or event.pusher_id is None:
        return
    mentioned = [(sha, message, mentions) for sha, message in reversed(event.commit_messages)
                 if (mentions := find_mentions(message, markdown=False))]
    if not mentioned:
        return
    hosting = service.hosting
    repository = hosting.get_repository_by_id(event.repository_id)
    pusher = Account.get_or_none(Account.id == event.pusher_id)
    if repository is None or pusher is None:
        return
    branch = event.ref[len(HEADS):]
    resolver = Resolver(hosting, repository, pusher)
    for sha, message, mentions in mentioned:
        marked = set()
        for mention, target, access in resolver.targets(mentions):
            if (target.id, mention.action) in marked:
                continue
            marked.add((target.id, mention.action))
            known = Comment.select(Comment.id).where(
                (Comment.issue == target.id) & (Comment.kind == COMMIT_REF)
                & (Comment.commit_sha == sha)).exists()
            if not known:
                moment = now()
                Comment.create(issue=target.id, poster=pusher.id, kind=COMMIT_REF,
                               body=_commit_link(service.ctx.config.base_url, repository, sha,
                                                 message),
                               commit_sha=sha, ref_repository=repository.id,
                               created_at=moment, updated_at=moment)
            if (target.is_pull or mention.action not in (CLOSES, REOPENS)
                    or not _may_close(access, target, pusher)):
                continue
            wanted = target.ref[len(HEADS):] if target.ref.startswith(HEADS) else target.ref
            if branch != (wanted or event.default_branch):
                continue
            if mention.action == CLOSES and service.open_dependencies_left(target):
                continue  # blocked: left open, the push goes on (Gitea logs it)
            # The commit is named on the close only in its own repository: elsewhere it could
            # be a private one's.
            service.set_state(target, closed=mention.action == CLOSES, doer=pusher,
                              commit_sha=sha if target.repository_id == repository.id else "")
