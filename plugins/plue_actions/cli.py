"""``plue actions``: runner registration tokens and queue inspection from the command line
(what ``gitea actions generate-runner-token`` does), for bootstrapping runners without the API."""

from __future__ import annotations

import sys

import click

from plue_core.cli import pass_context


@click.group()
def actions() -> None:
    """Actions: runner registration tokens and the job queue."""


@actions.command("registration-token")
@click.option("--repo", "repo", help="owner/name: a token for that repository's runners")
@click.option("--owner", help="a user or organization: a token for its runners")
@click.option("--new", is_flag=True, help="replace the active token")
@pass_context
def registration_token(ctx, repo: str | None, owner: str | None, new: bool) -> None:
    """Print a runner registration token (instance-wide without --repo or --owner)."""
    from plue_actions import runner_registry

    service = ctx.services["actions"]
    owner_id = repository_id = 0
    if repo and owner:
        _fail("give --repo or --owner, not both")
    if repo:
        owner_name, _, name = repo.partition("/")
        repository = service.hosting.find_repository(owner_name, name)
        if repository is None:
            _fail(f"repository {repo} does not exist")
        repository_id = repository.id
    elif owner:
        account = service.accounts.find_account(owner)
        if account is None:
            _fail(f"no user or organization named {owner}")
        owner_id = account.id
    token, _ = runner_registry.registration_token(service.box, owner_id, repository_id,
                                          service.settings["registration_token_ttl"], fresh=new)
    click.echo(token)


@actions.command("queue")
@pass_context
def queue(ctx) -> None:
    """Waiting jobs by runs-on labels (what no runner has picked yet)."""
    from plue_actions.models import Job
    from plue_workflows.statuses import Status

    counts: dict[str, int] = {}
    for job in Job.select(Job.runs_on).where(Job.status == int(Status.WAITING)):
        key = ",".join(job.runs_on or ()) or "(no labels)"
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        click.echo("no job is waiting")
    for labels, count in sorted(counts.items()):
        click.echo(f"{count:6d}  {labels}")


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(1)
