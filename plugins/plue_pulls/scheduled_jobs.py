"""Scheduled work: checking pull requests a push left in ``checking``, so lists show a fresh
``mergeable`` without anyone opening each pull request; and, hourly, removing the scratch
objects a merge killed midway left behind."""

from __future__ import annotations

from plue_core.scheduler import ScheduledJob

from plue_pulls import mergeability, scratch_cleanup


def jobs(ctx) -> list[ScheduledJob]:
    return [ScheduledJob("pulls.check_mergeability",
                         lambda ctx: mergeability.check_pending(ctx.services["pulls"]),
                         "interval", {"seconds": 10}),
            ScheduledJob("pulls.remove_merge_leftovers", scratch_cleanup.run, "interval",
                         {"hours": 1})]
