"""``plue hello ...``: the same service, from the command line."""

import click

from plue_core.cli import pass_context


@click.group()
def hello() -> None:
    """Greetings from the plue-hello example plugin."""


@hello.command()
@click.argument("message")
@pass_context
def say(ctx, message: str) -> None:
    """Add a greeting."""
    greeting = ctx.services["hello"].add_greeting(message, source="cli")
    click.echo(f"greeting {greeting.id} added")


@hello.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@pass_context
def list_greetings(ctx, limit: int) -> None:
    """Show the newest greetings."""
    for greeting in ctx.services["hello"].greetings().limit(limit):
        click.echo(f"{greeting.id}\t{greeting.source}\t{greeting.message}")
