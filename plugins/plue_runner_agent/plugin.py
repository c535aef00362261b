"""runner_agent: contributes the ``plue runner`` command group, nothing else (no
routes, no models). The agent itself talks to a server only over HTTP."""

from plue_core import hookimpl

PLUE_NAME = "runner_agent"


@hookimpl
def register_cli():
    from plue_runner_agent.cli import runner
    return [runner]
