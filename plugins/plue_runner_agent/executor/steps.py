"""Running one step of a job: its ``if``, environment, ``run`` script or built-in action,
``timeout-minutes``, ``continue-on-error``, workflow commands and file commands."""

from __future__ import annotations

import math
import os
import pathlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from plue_workflows.expressions import ExpressionError, interpolate, is_truthy, to_string
from plue_workflows.statuses import Status
from plue_workflows.steps import StepSpec
from plue_runner_agent.actions import ActionContext, ActionError, resolve_action
from plue_runner_agent.backends.base import BackendError, JobEnvironment
from plue_runner_agent.executor import file_commands as files
from plue_runner_agent.executor.contexts import JobContexts
from plue_runner_agent.executor.masking import Masker
from plue_runner_agent.executor.reporter import TaskReporter
from plue_runner_agent.executor.shells import ShellError, command_line, resolve_shell
from plue_runner_agent.executor.workflow_commands import CommandProcessor


class StepFailure(Exception):
    """The step cannot run or went wrong before its process did; shown as ``##[error]``."""


@dataclass
class JobState:
    """What steps share while a job runs."""

    contexts: JobContexts
    environment: JobEnvironment
    reporter: TaskReporter
    masker: Masker
    cancel: threading.Event
    kill: threading.Event  # a second, harder cancel: also stops the clean-up steps
    base_env: dict[str, str]  # the image's (or host's) environment, runner env, GITHUB_* vars
    user_env: dict[str, str]  # workflow env, then job env (evaluated)
    defaults_run: dict[str, str]
    server_address: str
    token: str
    deadline: float  # time.monotonic() by which the job must end
    debug: bool = False
    allow_unsecure_commands: bool = False
    status: str = "success"
    github_env: dict[str, str] = field(default_factory=dict)  # from GITHUB_ENV
    paths: list[str] = field(default_factory=list)  # from GITHUB_PATH, newest first
    summaries: list[str] = field(default_factory=list)
    job_timed_out: bool = False
    _has_command: dict[str, bool] = field(default_factory=dict)

    def env_context(self) -> dict[str, str]:
        return {**self.user_env, **self.github_env}

    def has_command(self, name: str) -> bool:
        if name not in self._has_command:
            self._has_command[name] = self.environment.has_command(name)
        return self._has_command[name]

    def evaluate(self, template: Any, env: dict[str, str]) -> Any:
        context = self.contexts.evaluation(env, self.status, self.cancel.is_set(),
                                           str(self.environment.host_workspace))
        return interpolate(template, context)


@dataclass
class StepOutcome:
    outcome: Status  # before continue-on-error
    conclusion: Status  # after it
    outputs: dict[str, str]


def run_step(job: JobState, step: StepSpec) -> StepOutcome:
    """Run a step whose ``if`` said yes; every failure is logged and turned into an outcome."""
    reporter = job.reporter
    continue_on_error = False
    outputs: dict[str, str] = {}
    # A cancel stops the step running when it comes; a step that starts afterwards (its if:
    # asked for always() or cancelled()) is there to clean up: only a kill stops it.
    stop = job.cancel if not job.cancel.is_set() else job.kill
    try:
        env = dict(job.env_context())
        for key, template in step.env.items():
            value = job.evaluate(template, env)
            env[key] = "" if value is None else to_string(value)
        continue_on_error = is_truthy(job.evaluate(step.continue_on_error, env))
        timeout = _timeout(job, step, env)
        if step.run is not None:
            outcome = _run_script(job, step, env, timeout, outputs, stop)
        else:
            outcome = _run_action(job, step, env, timeout, outputs, stop)
    except (StepFailure, ExpressionError, ShellError, BackendError, ActionError) as error:
        reporter.log(f"##[error]{error}")
        outcome = Status.FAILURE
    conclusion = Status.SUCCESS if outcome == Status.FAILURE and continue_on_error else outcome
    if outcome == Status.FAILURE and continue_on_error:
        reporter.log("##[warning]The step failed; continuing because of continue-on-error")
    return StepOutcome(outcome, conclusion, outputs)


def _timeout(job: JobState, step: StepSpec, env: dict[str, str]) -> float:
    """Seconds the step may take: its timeout-minutes, bounded by what is left of the job."""
    left = max(0.0, job.deadline - time.monotonic())
    if step.timeout_minutes is None:
        return left
    value = job.evaluate(step.timeout_minutes, env)
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        raise StepFailure(f"timeout-minutes must be a number, got {value!r}") from None
    if not math.isfinite(minutes) or minutes <= 0:
        raise StepFailure(f"timeout-minutes must be a positive number, got {value!r}")
    return min(minutes * 60.0, left)


def _run_script(job: JobState, step: StepSpec, env: dict[str, str], timeout: float,
                outputs: dict[str, str], stop: threading.Event) -> Status:
    environment, reporter = job.environment, job.reporter
    script = job.evaluate(step.run, env)
    script = "" if script is None else to_string(script)
    shell = step.shell or job.defaults_run.get("shell")
    template, extension = resolve_shell(shell, job.has_command)
    workdir = _working_directory(job, step, env)
    script_file = environment.host_temp / f"{secrets.token_hex(8)}{extension}"
    script_file.write_text(script if script.endswith("\n") else script + "\n")
    argv = command_line(template, environment.to_job_path(script_file))
    reporter.log(f"##[group]Run {script.strip().splitlines()[0] if script.strip() else ''}")
    for line in script.rstrip("\n").split("\n"):
        reporter.log(line)
    reporter.log(f"shell: {template}")
    if env:
        reporter.log("env:")
        for key, value in env.items():
            reporter.log(f"  {key}: {value}")
    reporter.log("##[endgroup]")
    commands, command_files = _command_files(job)
    process_env = _process_env(job, env, command_files)
    result = environment.exec(argv, process_env, workdir, _line_sink(job, commands), timeout,
                              stop)
    status = _exit_status(job, step, result, timeout)
    applied = _apply_file_commands(job, commands, command_files, outputs)
    return status if applied else Status.FAILURE


def _run_action(job: JobState, step: StepSpec, env: dict[str, str], timeout: float,
                outputs: dict[str, str], stop: threading.Event) -> Status:
    reporter = job.reporter
    action = resolve_action(step.uses or "")
    inputs = {}
    for key, template in step.with_inputs.items():
        value = job.evaluate(template, env)
        inputs[key] = "" if value is None else to_string(value)
    reporter.log(f"##[group]Run {step.uses}")
    for key, value in inputs.items():
        reporter.log(f"  {key}: {value}")
    reporter.log("##[endgroup]")
    context = ActionContext(inputs=inputs, github=job.contexts.github,
                            environment=job.environment, server_address=job.server_address,
                            token=job.token, log=reporter.log, cancel=stop,
                            mask=job.masker.add)
    failure: list[BaseException] = []

    def perform():
        try:
            action(context)
        except BaseException as error:  # reported below, on the step's thread
            failure.append(error)

    worker = threading.Thread(target=perform, name=f"action-{step.uses}", daemon=True)
    worker.start()
    deadline = time.monotonic() + timeout
    while worker.is_alive():
        worker.join(0.05)
        if stop.is_set():
            reporter.log("##[error]The operation was canceled.")
            return Status.CANCELLED
        if time.monotonic() >= deadline:
            _report_timeout(job, step, timeout)
            return Status.FAILURE
    if failure:
        error = failure[0]
        if isinstance(error, ActionError):
            raise error
        raise StepFailure(f"{step.uses} failed unexpectedly: {error!r}")
    outputs.update(context.outputs)
    return Status.SUCCESS


def _working_directory(job: JobState, step: StepSpec, env: dict[str, str]) -> str:
    environment = job.environment
    directory = step.working_directory
    if directory is not None:
        directory = to_string(job.evaluate(directory, env))
    else:
        directory = job.defaults_run.get("working-directory")
    if not directory:
        return environment.workspace
    path = directory if directory.startswith("/") else f"{environment.workspace}/{directory}"
    host = environment.to_host_path(path)
    if host is not None and not host.is_dir():
        raise StepFailure(f"the working directory {path!r} does not exist")
    return path


def _command_files(job: JobState) -> tuple[CommandProcessor, dict[str, pathlib.Path]]:
    directory = job.environment.host_temp / "_runner_file_commands"
    directory.mkdir(parents=True, exist_ok=True)
    suffix = secrets.token_hex(6)
    paths = {name: directory / f"{name.lower()}_{suffix}"
             for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY",
                          "GITHUB_STATE")}
    for path in paths.values():
        path.touch()
        os.chmod(path, 0o666)  # a job container may run as a user other than the runner's
    commands = CommandProcessor(job.masker, debug=job.debug,
                                allow_unsecure_commands=job.allow_unsecure_commands)
    return commands, paths


def _process_env(job: JobState, env: dict[str, str],
                 command_files: dict[str, pathlib.Path]) -> dict[str, str]:
    process_env = {**job.base_env, **env}
    if job.paths:
        current = process_env.get("PATH", "")
        process_env["PATH"] = ":".join([*job.paths, current] if current else job.paths)
    for name, path in command_files.items():
        process_env[name] = job.environment.to_job_path(path)
    return process_env


def _line_sink(job: JobState, commands: CommandProcessor):
    def sink(line: str) -> None:
        shown = commands.process(line)
        if shown is not None:
            job.reporter.log(shown)
    return sink


def _exit_status(job: JobState, step: StepSpec, result, timeout: float) -> Status:
    reporter = job.reporter
    if result.cancelled:
        reporter.log("##[error]The operation was canceled.")
        return Status.CANCELLED
    if result.timed_out:
        _report_timeout(job, step, timeout)
        return Status.FAILURE
    if result.exit_code != 0:
        reporter.log(f"##[error]Process completed with exit code {result.exit_code}.")
        return Status.FAILURE
    return Status.SUCCESS


def _report_timeout(job: JobState, step: StepSpec, timeout: float) -> None:
    if time.monotonic() >= job.deadline - 0.5:
        job.job_timed_out = True
        job.reporter.log("##[error]The job has exceeded its maximum execution time "
                         "(timeout-minutes) and was stopped.")
    else:
        job.reporter.log(f"##[error]The step has timed out after {timeout / 60:g} minutes.")


def _apply_file_commands(job: JobState, commands: CommandProcessor,
                         command_files: dict[str, pathlib.Path], outputs: dict[str, str]) -> bool:
    """Outputs, environment, PATH and summary written by the step, whatever its outcome;
    False when a file command is malformed (which fails the step, as on GitHub)."""
    reporter = job.reporter
    outputs.update(commands.outputs)
    try:
        outputs.update(files.parse_key_values(files.read_text(command_files["GITHUB_OUTPUT"]),
                                              "GITHUB_OUTPUT"))
        job.github_env.update(commands.env)
        job.github_env.update(files.parse_key_values(files.read_text(command_files["GITHUB_ENV"]),
                                                     "GITHUB_ENV"))
    except files.FileCommandError as error:
        reporter.log(f"##[error]Unable to process file command: {error}")
        applied = False
    else:
        applied = True
    new_paths = commands.paths + files.parse_paths(files.read_text(command_files["GITHUB_PATH"]))
    for path in new_paths:
        job.paths.insert(0, path)
    summary = files.read_text(command_files["GITHUB_STEP_SUMMARY"], files.SUMMARY_LIMIT)
    if len(summary.encode()) > files.SUMMARY_LIMIT:
        reporter.log("##[warning]The step summary is larger than 1 MiB and was not kept")
    elif summary.strip():
        job.summaries.append(job.masker.mask(summary))
    return applied
