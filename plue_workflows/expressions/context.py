"""What an expression is evaluated against: the named contexts and the job's status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

# The contexts GitHub and Gitea define; any of them may be referenced even when the caller has
# no value for it (it is then null), so a typo such as ``githb.ref`` is still an error.
STANDARD_CONTEXTS = frozenset({
    "github", "gitea", "env", "vars", "secrets", "matrix", "needs", "steps", "job", "jobs",
    "runner", "inputs", "strategy",
})

# The job (or step) status that success(), failure() and cancelled() report on.
SUCCESS, FAILURE, CANCELLED, SKIPPED = "success", "failure", "cancelled", "skipped"


@dataclass
class EvaluationContext:
    """The values an expression sees.

    ``contexts`` maps context names (``github``, ``env``, ``matrix``...) to plain values; keys
    are matched case-insensitively and ``gitea`` falls back to ``github`` (and the other way
    round). ``status`` is the current job status for the status functions (success, failure,
    cancelled or skipped) and ``cancelled`` tells whether the run was cancelled. ``workspace``
    is the directory ``hashFiles`` reads; without it, ``hashFiles`` is an error.
    """

    contexts: Mapping[str, Any] = field(default_factory=dict)
    status: str = SUCCESS
    cancelled: bool = False
    workspace: str | None = None

    def context_names(self) -> frozenset[str]:
        """Every context name an expression may use here (lower-case)."""
        return STANDARD_CONTEXTS | {str(name).lower() for name in self.contexts}

    def context(self, name: str) -> Any:
        """The value of a context by name, None when it was not provided."""
        folded = name.lower()
        for candidate in (folded, {"gitea": "github", "github": "gitea"}.get(folded)):
            for key, value in self.contexts.items():
                if candidate is not None and str(key).lower() == candidate:
                    return value
        return None
