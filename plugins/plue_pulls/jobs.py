"""Scheduled work: checking pull requests a push left in ``checking``, so lists show a fresh
``mergeable`` without anyone opening each pull request."""

from __future__ import annotations

from plue_core.scheduler import Job

from plugins.plue_pulls import mergeability


def jobs(ctx) -> list[Job]:
    return [Job("pulls.check_mergeability",
                lambda ctx: mergeability.check_pending(ctx.services["pulls"]),
                "interval", {"seconds": 10})]
