"""The server's processes may open as many files as the system lets them: the soft limit on
open files raised to the hard one (at most ``CAP``) in the gunicorn master before it forks.

A worker keeps up to four repositories open per request thread (plugins/plue_git_hosting/
open_repositories.py), each holding its pack files' descriptors, beside its connections and
the database's: 8 threads × 4 repositories of many packs can pass the soft limit of 1,024 many
systems start services with, while the hard limit is usually far higher. Raising the soft
limit up to the hard one needs no privilege (Go's runtime does the same at start)."""

from __future__ import annotations

import resource

CAP = 65_536


def raise_soft_limit() -> tuple[int, int]:
    """Raise the soft RLIMIT_NOFILE to the hard limit (at most CAP), never lowering it; the
    (before, after) soft limits."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = CAP if hard == resource.RLIM_INFINITY else min(hard, CAP)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        return soft, wanted
    return soft, soft
