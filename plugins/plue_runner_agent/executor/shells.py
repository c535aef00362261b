"""Which program runs a ``run:`` script, as GitHub defines ``shell:``."""

from __future__ import annotations

import shlex

# name -> (command template, script file extension)
KNOWN_SHELLS = {
    "bash": ("bash --noprofile --norc -eo pipefail {0}", ".sh"),
    "sh": ("sh -e {0}", ".sh"),
    "python": ("python {0}", ".py"),
    "pwsh": ("pwsh -command \". '{0}'\"", ".ps1"),
}
WINDOWS_ONLY = ("cmd", "powershell")


class ShellError(ValueError):
    """The shell cannot be used here; the message says why."""


def resolve_shell(shell: str | None, has_command) -> tuple[str, str]:
    """``(template, extension)`` for a step's ``shell`` (None = the default: ``bash -e {0}``
    when bash exists, else ``sh -e {0}``). ``has_command(name)`` checks the job's PATH."""
    if shell is None or not shell.strip():
        return ("bash -e {0}", ".sh") if has_command("bash") else ("sh -e {0}", ".sh")
    shell = shell.strip()
    if shell in KNOWN_SHELLS:
        template, extension = KNOWN_SHELLS[shell]
        if not has_command(shell):
            raise ShellError(f"shell {shell!r} is not installed in this job's environment")
        return template, extension
    if shell in WINDOWS_ONLY:
        raise ShellError(f"shell {shell!r} exists only on Windows runners")
    if "{0}" not in shell:
        raise ShellError(f"shell {shell!r} is not one of {', '.join(KNOWN_SHELLS)} and, as a "
                         "custom shell, must contain {0} where the script path goes")
    return shell, ""


def command_line(template: str, script_path: str) -> list[str]:
    """The argv for a template with ``{0}`` replaced by the script's path."""
    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise ShellError(f"shell {template!r} cannot be split into words: {exc}") from None
    return [word.replace("{0}", script_path) for word in words]
