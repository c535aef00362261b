"""Built-in actions the runner implements itself, and the answer for every other ``uses:``.

The runner does not download actions: ``actions/checkout``, ``actions/upload-artifact`` and
``actions/download-artifact`` (any version, also spelled with a server URL in front) run
natively; any other action fails its step with a message saying it cannot be fetched.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Callable

from plue_runner_agent.backends.base import JobEnvironment

_REMOTE = re.compile(r"^(?:https?://[^/]+/)?(?P<owner>[^/@\s]+)/(?P<repo>[^/@\s]+)"
                     r"(?P<path>/[^@\s]*)?@(?P<ref>\S+)$")


class ActionError(Exception):
    """The action failed; the message is shown in the step's log."""


@dataclass
class ActionContext:
    """What a built-in action gets: its ``with:`` inputs (expressions evaluated), the github
    context, the job environment, the server and the task token, and where to log."""

    inputs: dict[str, str]
    github: dict
    environment: JobEnvironment
    server_address: str
    token: str
    log: Callable[[str], None]
    cancel: threading.Event
    mask: Callable[[str], None] = lambda value: None  # hide a value in every later log line
    outputs: dict[str, str] = field(default_factory=dict)

    def input(self, name: str, default: str = "") -> str:
        """An input by name (case-insensitive as in GitHub), ``default`` when absent/empty."""
        for key, value in self.inputs.items():
            if key.lower() == name.lower() and value not in (None, ""):
                return str(value)
        return default

    def flag(self, name: str, default: bool) -> bool:
        value = self.input(name, "").strip().lower()
        if not value:
            return default
        if value in ("true", "false"):
            return value == "true"
        raise ActionError(f"input {name!r} must be true or false, got {value!r}")


Action = Callable[[ActionContext], None]


def resolve_action(uses: str) -> Action:
    """The built-in implementing ``uses``; ActionError explaining why anything else cannot
    run."""
    from plue_runner_agent.actions import artifacts, checkout

    builtins: dict[str, Action] = {
        "actions/checkout": checkout.run_checkout,
        "actions/upload-artifact": artifacts.upload_artifact,
        "actions/download-artifact": artifacts.download_artifact,
    }
    uses = uses.strip()
    if uses.startswith("docker://"):
        raise ActionError(f"cannot run {uses!r}: container actions (docker://) are not supported "
                          "by this runner; use a `run:` step in a job container instead")
    if uses.startswith("./") or uses.startswith("../"):
        raise ActionError(f"cannot run the local action {uses!r}: this runner does not run "
                          "actions from the repository; use `run:` steps")
    match = _REMOTE.match(uses)
    if match is None:
        raise ActionError(f"cannot understand uses: {uses!r}; expected owner/repo@ref")
    name = f"{match['owner']}/{match['repo']}".lower()
    if name in builtins and not (match["path"] or "").strip("/"):
        return builtins[name]
    raise ActionError(
        f"cannot fetch the action {uses!r}: this runner does not download actions; it runs "
        f"only its built-in {', '.join(sorted(builtins))}")
