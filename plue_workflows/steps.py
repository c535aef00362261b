"""Steps of a job as written: one StepSpec per ``steps:`` entry, validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from plue_workflows import fields as f
from plue_workflows.errors import Problems

STEP_KEYS = ("id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error",
             "timeout-minutes", "working-directory")
STEP_IF_CONTEXTS = ("github", "gitea", "needs", "strategy", "matrix", "job", "runner", "env",
                    "vars", "steps", "inputs")
_USES = re.compile(r"^(?:\./.*|docker://\S+|[^\s/@]+/[^\s@]+@\S+)$")


@dataclass(frozen=True)
class StepSpec:
    index: int
    id: str | None = None
    name: str | None = None
    if_condition: Any = None
    run: str | None = None
    uses: str | None = None
    with_inputs: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    shell: str | None = None
    working_directory: str | None = None
    continue_on_error: bool | str = False
    timeout_minutes: float | int | str | None = None

    @property
    def display_name(self) -> str:
        """What the UI shows: the name, else ``Run <first line>`` or the action used."""
        if self.name:
            return self.name
        if self.run is not None:
            first = self.run.strip().splitlines()[0] if self.run.strip() else ""
            return f"Run {first}".rstrip()
        return f"Run {self.uses}"


def parse_step(raw: Any, index: int, location: str, problems: Problems) -> StepSpec | None:
    """Validate one step mapping; record problems and return None if it is unusable."""
    if not isinstance(raw, dict):
        problems.add(location, "a step must be a mapping with run or uses")
        return None
    f.unknown_keys(raw, STEP_KEYS, location, problems)
    run, uses = raw.get("run"), raw.get("uses")
    if (run is None) == (uses is None):
        problems.add(location, "a step needs exactly one of run or uses")
    if run is not None and not isinstance(run, str):
        if isinstance(run, (int, float)) and not isinstance(run, bool):
            run = str(run)
        else:
            problems.add(f"{location}.run", "expected a string (the script to run)")
            run = None
    if uses is not None and not (isinstance(uses, str) and _USES.match(uses)):
        problems.add(f"{location}.uses",
                     "expected owner/repo@ref, owner/repo/path@ref, ./local/path or docker://image")
        uses = None
    step_id = raw.get("id")
    if step_id is not None and not (isinstance(step_id, str) and f.IDENTIFIER.match(step_id)):
        problems.add(f"{location}.id", "must start with a letter or _ and contain only "
                     "letters, digits, - and _")
        step_id = None
    f.check_expressions(run, f"{location}.run", problems)
    with_inputs = f.mapping(raw.get("with"), f"{location}.with", problems)
    for key, value in with_inputs.items():
        if value is not None and not isinstance(value, f.SCALARS):
            problems.add(f"{location}.with.{key}", "expected a string, number or boolean")
    f.check_expressions(with_inputs, f"{location}.with", problems)
    return StepSpec(
        index=index,
        id=step_id,
        name=f.optional_string(raw.get("name"), f"{location}.name", problems),
        if_condition=f.check_condition(raw.get("if"), f"{location}.if", problems,
                                       STEP_IF_CONTEXTS),
        run=run,
        uses=uses,
        with_inputs=with_inputs,
        env=f.string_map(raw.get("env"), f"{location}.env", problems),
        shell=f.optional_string(raw.get("shell"), f"{location}.shell", problems),
        working_directory=f.optional_string(raw.get("working-directory"),
                                            f"{location}.working-directory", problems),
        continue_on_error=f.flag(raw.get("continue-on-error"), False,
                                 f"{location}.continue-on-error", problems),
        timeout_minutes=f.positive_number(raw.get("timeout-minutes"), None,
                                          f"{location}.timeout-minutes", problems),
    )


def parse_steps(raw: Any, location: str, problems: Problems) -> tuple[StepSpec, ...]:
    """Validate a job's ``steps`` list; step ids must be unique within the job."""
    if not isinstance(raw, list) or not raw:
        problems.add(location, "expected a non-empty list of steps")
        return ()
    steps = []
    seen_ids: dict[str, int] = {}
    for index, item in enumerate(raw):
        step = parse_step(item, index, f"{location}[{index}]", problems)
        if step is None:
            continue
        if step.id is not None:
            if step.id.lower() in seen_ids:
                problems.add(f"{location}[{index}].id", f"duplicate step id {step.id!r} (also "
                             f"used by step {seen_ids[step.id.lower()]})")
            seen_ids.setdefault(step.id.lower(), index)
        steps.append(step)
    return tuple(steps)
