"""Scheduled work. The scheduler runs it under a database lease, in one process only."""


def heartbeat(ctx) -> None:
    """Write one greeting per run (each run is its own greeting, so a retry is harmless)."""
    greeting = ctx.section("hello")["greeting"]
    ctx.services["hello"].add_greeting(f"{greeting} from the scheduler", source="job")
