"""Where a job's commands run: one interface (``Backend`` creates a ``JobEnvironment``), two
implementations, Docker (one container per job) and host (trusted runners only)."""

from plue_runner_agent.backends.base import (
    Backend,
    BackendError,
    ExecResult,
    JobEnvironment,
    LineSplitter,
)

__all__ = ["Backend", "BackendError", "ExecResult", "JobEnvironment", "LineSplitter"]
