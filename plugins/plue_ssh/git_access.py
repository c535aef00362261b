"""Whether a key holder may run a git request: git_hosting's one access check, its answers
said in words git prints. A private repository the holder may not see gets the same answer as
one that does not exist; a renamed repository's old path reaches it, as Gitea's ``serv``."""

from __future__ import annotations

import dataclasses

from plue_core.errors import Forbidden, Locked, NotFound

from plue_ssh.commands import GitRequest
from plue_ssh.key_holders import KeyHolder


class AccessRefused(Exception):
    """The request is refused; the message is for the client."""


@dataclasses.dataclass(frozen=True)
class GitAccess:
    repository: object  # git_hosting's Repository, owner joined
    request: GitRequest
    holder: KeyHolder


def authorize(hosting, holder: KeyHolder, request: GitRequest) -> GitAccess:
    pushing = request.pushes
    memo = None if holder.identity is not None else hosting.granted_permissions(holder.grants)
    try:
        access = hosting.require_repository(holder.identity, request.owner, request.repo,
                                            "write" if pushing else "read", writes=pushing,
                                            memo=memo, follow_redirect=True)
    except NotFound:
        raise AccessRefused(f"repository {request.owner}/{request.repo} does not exist") from None
    except Forbidden:
        if holder.is_deploy_key:
            raise AccessRefused(f"the deploy key {holder.key_title!r} is read-only: it may not "
                                f"push to {request.owner}/{request.repo}") from None
        raise AccessRefused(f"you may not push to {request.owner}/{request.repo}") from None
    except Locked:
        raise AccessRefused(f"{request.owner}/{request.repo} is archived: it is read-only") from None
    return GitAccess(access.repository, request, holder)
