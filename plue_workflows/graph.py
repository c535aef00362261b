"""The ``needs`` graph between jobs: validation, order and ancestry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def needs_problems(needs: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """``(location, message)`` for needs naming unknown jobs, a job itself, or a cycle."""
    problems = []
    for job_id, required in needs.items():
        for name in required:
            if name == job_id:
                problems.append((f"jobs.{job_id}.needs", "a job cannot need itself"))
            elif name not in needs:
                problems.append((f"jobs.{job_id}.needs", f"needs unknown job {name!r}"))
    reported: set[frozenset[str]] = set()
    for cycle in _cycles(needs):
        if frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            path = " -> ".join(cycle + [cycle[0]])
            problems.append((f"jobs.{cycle[0]}.needs", f"jobs form a cycle: {path}"))
    return problems


def _cycles(needs: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (self-loops are reported elsewhere)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []
    found: list[list[str]] = []

    def visit(job_id: str) -> None:
        state[job_id] = 1
        path.append(job_id)
        for name in needs.get(job_id, ()):
            if name == job_id or name not in needs:
                continue
            if state.get(name) == 1:
                found.append(path[path.index(name):])
            elif name not in state:
                visit(name)
        path.pop()
        state[job_id] = 2

    for job_id in needs:
        if job_id not in state:
            visit(job_id)
    return found


def topological_order(needs: Mapping[str, Sequence[str]]) -> list[str]:
    """Job ids so that every job comes after the jobs it needs; ties keep declaration order.
    The graph must be valid (see needs_problems)."""
    order: list[str] = []
    placed: set[str] = set()
    remaining = list(needs)
    while remaining:
        ready = [job_id for job_id in remaining if all(n in placed for n in needs[job_id])]
        if not ready:
            raise ValueError("the needs graph has a cycle")
        for job_id in ready:
            order.append(job_id)
            placed.add(job_id)
        remaining = [job_id for job_id in remaining if job_id not in placed]
    return order


def ancestors(needs: Mapping[str, Sequence[str]], job_id: str) -> set[str]:
    """Every job that ``job_id`` needs, directly or through other jobs."""
    seen: set[str] = set()
    pending = list(needs.get(job_id, ()))
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(needs.get(name, ()))
    return seen
