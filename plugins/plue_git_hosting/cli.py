"""``plue git``: run the crash recovery of git_hosting now, without waiting for the scheduler
(after restoring a backup, or when the scheduler is off)."""

from __future__ import annotations

import click

from plue_core.cli import pass_context


@click.group()
def git() -> None:
    """Git repositories: crash recovery."""


@git.command("recover")
@click.option("--incoming-max-age", type=click.IntRange(min=0), default=None,
              help="Remove abandoned incoming objects untouched for this many seconds "
                   "(default: the scheduled job's hour).")
@click.option("--all-branches", is_flag=True,
              help="Also compare every repository's branch rows with git (the hourly job).")
@pass_context
def recover(ctx, incoming_max_age: int | None, all_branches: bool) -> None:
    """Record ref changes that a killed process left unrecorded (branch rows, push events,
    exactly once) and remove the incoming objects of pushes that never finished."""
    from plue_git_hosting import maintenance, ref_journal, ref_reconciliation

    replayed = ref_journal.replay_orphans(ctx)
    message = f"replayed {replayed} unfinished ref change(s); "
    if all_branches:
        corrected = ref_reconciliation.reconcile_all(ctx)
        message += f"corrected the branches of {corrected} repositor{'y' if corrected == 1 else 'ies'}; "
    options = {} if incoming_max_age is None else {"max_age": incoming_max_age}
    removed = maintenance.remove_incoming_leftovers(ctx, **options)
    click.echo(message + f"removed {removed} abandoned incoming object "
                         f"entr{'y' if removed == 1 else 'ies'}")
