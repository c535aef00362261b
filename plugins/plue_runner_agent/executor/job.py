"""Running one task from start to end: read the payload, pick the backend from the runner's
labels, create the job environment, run the steps in order, evaluate the job's outputs,
remove the environment, and report everything (the final result last)."""

from __future__ import annotations

import json
import logging
import threading
import time

from plue_workflows.errors import WorkflowError
from plue_workflows.expressions import (
    ExpressionError,
    evaluate_condition,
    interpolate,
    interpolate_structure,
    to_string,
)
from plue_workflows.statuses import Status
from plue_runner_agent.backends.base import Backend, BackendError, JobEnvironment, JobRequest
from plue_runner_agent.client import RunnerClient, runner_version
from plue_runner_agent.config import RunnerSettings
from plue_runner_agent.executor.contexts import (
    JobContexts,
    default_env,
    runtime_token,
    task_token,
)
from plue_runner_agent.executor.masking import Masker
from plue_runner_agent.executor.payload import JobDefinition, parse_payload
from plue_runner_agent.executor.reporter import TaskReporter
from plue_runner_agent.executor.steps import JobState, run_step
from plue_runner_agent.labels import DOCKER, Label, pick_label
from plue_runner_agent.protocol import Task

log = logging.getLogger("plue.runner.job")

DEFAULT_JOB_TIMEOUT_MINUTES = 360


class JobExecutor:
    """Runs one task. ``backends`` maps a label scheme (docker, host) to its backend."""

    def __init__(self, task: Task, client: RunnerClient, settings: RunnerSettings,
                 labels: list[Label], backends: dict[str, Backend], runner_name: str):
        self.task = task
        self.client = client
        self.settings = settings
        self.labels = labels
        self.backends = backends
        self.runner_name = runner_name
        self.cancel = threading.Event()
        self.kill = threading.Event()
        self.cancel_reason = ""
        self.result: Status | None = None
        self._reporter: TaskReporter | None = None

    def request_cancel(self, reason: str) -> None:
        """Stop the job soon (server cancel or runner shutdown); always() steps still run.
        Asked again, stop those too."""
        if self.cancel.is_set() and not self.kill.is_set():
            self.kill.set()
            if self._reporter is not None:
                self._reporter.log(f"##[warning]Stopping the clean-up steps too: {reason}")
        if not self.cancel.is_set():
            self.cancel_reason = reason
            self.cancel.set()
            if self._reporter is not None:
                self._reporter.log(f"##[warning]Cancelling the job: {reason}")

    def _server_ended(self, result: Status) -> None:
        self.request_cancel("the run was cancelled" if result == Status.CANCELLED
                            else f"the server ended the task ({result.label})")

    def run(self) -> Status:
        task = self.task
        masker = Masker([task_token(task), runtime_token(task), *task.secrets.values()])
        reporter = TaskReporter(self.client, task.id, masker, self.settings,
                                on_cancel=self._server_ended)
        self._reporter = reporter
        reporter.start()
        result = Status.FAILURE
        try:
            context = task.context
            reporter.log(f"{self.runner_name} ({runner_version()}) received task {task.id} of "
                         f"job {context.get('job', '?')}, triggered by the "
                         f"{context.get('event_name', '?')} event")
            try:
                job = parse_payload(task.workflow_payload)
            except WorkflowError as error:
                reporter.log(f"##[error]The job cannot be read: {error}")
                return result
            reporter.set_steps(len(job.spec.steps))
            result = _JobRun(self, job, reporter, masker).execute()
        except Exception as error:  # a bug in the runner must still end the task cleanly
            log.exception("task %s failed inside the runner", task.id)
            reporter.log(f"##[error]The runner failed: {error!r}")
            result = Status.FAILURE
        finally:
            if self.cancel.is_set() and result != Status.SKIPPED:
                result = Status.CANCELLED
            reporter.log(f"Job finished: {result.label}")
            reporter.close(result)
            self.result = result
        return result


class _JobRun:
    def __init__(self, executor: JobExecutor, job: JobDefinition, reporter: TaskReporter,
                 masker: Masker):
        self.executor = executor
        self.job = job
        self.reporter = reporter
        self.masker = masker
        self.task = executor.task
        self.contexts = JobContexts.for_task(self.task, job)

    def execute(self) -> Status:
        started = time.monotonic()
        deadline = started + self._timeout_seconds()
        environment = self._create_environment()
        if environment is None:
            return Status.FAILURE
        try:
            return self._run_steps(environment, deadline)
        finally:
            self.reporter.log(f"Cleaning up the job environment ({environment.description})")
            environment.close()

    def _timeout_seconds(self) -> float:
        evaluation = self.contexts.evaluation({}, "success", False, None)
        value = interpolate(self.job.spec.timeout_minutes, evaluation)
        try:
            minutes = float(value)
        except (TypeError, ValueError):
            self.reporter.log(f"##[warning]timeout-minutes {value!r} is not a number; using "
                              f"{DEFAULT_JOB_TIMEOUT_MINUTES}")
            minutes = DEFAULT_JOB_TIMEOUT_MINUTES
        return min(max(minutes, 0.0) * 60.0, self.executor.settings.job_timeout)

    def _create_environment(self) -> JobEnvironment | None:
        reporter, job = self.reporter, self.job
        evaluation = self.contexts.evaluation({}, "success", False, None)
        try:
            runs_on = [to_string(interpolate(label, evaluation)) for label in job.runs_on]
            label = pick_label(self.executor.labels, runs_on)
            if label is None:
                raise BackendError(f"this runner has none of the labels the job runs on "
                                   f"({', '.join(runs_on) or 'none'})")
            container = interpolate_structure(job.container, evaluation)
            if job.services:
                raise BackendError("service containers (services:) are not supported by this "
                                   "runner")
            image, container_env = _container_image(container, reporter.log)
            image = image or label.image
            if label.scheme != DOCKER and container is not None:
                raise BackendError(f"the job asks for a container but the runner label "
                                   f"{label.name!r} runs jobs on the host")
            backend = self.executor.backends.get(label.scheme)
            if backend is None:
                raise BackendError(f"the {label.scheme} backend is not available on this runner")
            reporter.log(f"Job {job.display_name!r} runs on label {label}")
            repository = str(self.task.context.get("repository") or "workspace")
            return backend.create(JobRequest(self.task.id, repository, image, container_env),
                                  reporter.log)
        except (BackendError, ExpressionError) as error:
            reporter.log(f"##[error]{error}")
            return None

    def _run_steps(self, environment: JobEnvironment, deadline: float) -> Status:
        reporter, job, executor = self.reporter, self.job, self.executor
        debug = self.task.secrets.get("ACTIONS_STEP_DEBUG", "").lower() == "true"
        event_file = environment.host_temp / "_github_workflow" / "event.json"
        event_file.parent.mkdir(parents=True, exist_ok=True)
        event_file.write_text(json.dumps(self.task.context.get("event") or {}))
        self.contexts.attach(environment, executor.runner_name,
                             environment.to_job_path(event_file), debug)
        base_env = {**environment.base_env, **executor.settings.env,
                    **default_env(self.contexts, job, environment, executor.client.address,
                                  runtime_token(self.task))}
        state = JobState(
            contexts=self.contexts, environment=environment, reporter=reporter,
            masker=self.masker, cancel=executor.cancel, kill=executor.kill, base_env=base_env,
            user_env={},
            defaults_run={**job.workflow_defaults_run, **job.spec.defaults_run},
            server_address=executor.client.address, token=task_token(self.task),
            deadline=deadline, debug=debug,
            allow_unsecure_commands=str(base_env.get("ACTIONS_ALLOW_UNSECURE_COMMANDS", ""))
            .lower() == "true")
        try:
            for layer in (job.workflow_env, job.spec.env):
                for key, template in layer.items():
                    value = state.evaluate(template, state.user_env)
                    state.user_env[key] = "" if value is None else to_string(value)
        except ExpressionError as error:
            reporter.log(f"##[error]env: {error}")
            return Status.FAILURE
        for index, step in enumerate(job.spec.steps):
            if state.job_timed_out or time.monotonic() >= deadline:
                state.job_timed_out = True
                break
            self._run_one(state, index, step)
        self._finish(state)
        if state.job_timed_out:
            reporter.log("##[error]The job was stopped: it ran longer than its timeout-minutes")
            return Status.FAILURE
        if executor.cancel.is_set():
            return Status.CANCELLED
        return Status.FAILURE if state.status == "failure" else Status.SUCCESS

    def _run_one(self, state: JobState, index: int, step) -> None:
        reporter = self.reporter
        cancelled = state.cancel.is_set()
        status = "cancelled" if cancelled else state.status
        evaluation = self.contexts.evaluation(state.env_context(), status, cancelled,
                                              str(state.environment.host_workspace))
        try:
            should_run = evaluate_condition(step.if_condition, evaluation)
            condition_error = None
        except ExpressionError as error:
            should_run, condition_error = True, error
        if not should_run:
            reporter.step_finished(index, Status.SKIPPED)
            self._record(step, Status.SKIPPED, Status.SKIPPED, {})
            return
        reporter.step_started(index)
        try:
            name = to_string(interpolate(step.display_name, evaluation))
        except ExpressionError:
            name = step.display_name
        log.debug("task %s step %d: %s", self.task.id, index, name)
        if condition_error is not None:
            reporter.log(f"##[error]The step's if: cannot be evaluated: {condition_error}")
            outcome = conclusion = Status.FAILURE
            outputs: dict[str, str] = {}
        else:
            result = run_step(state, step)
            outcome, conclusion, outputs = result.outcome, result.conclusion, result.outputs
        if conclusion == Status.FAILURE:
            state.status = "failure"
        reporter.step_finished(index, outcome)
        self._record(step, outcome, conclusion, outputs)

    def _record(self, step, outcome: Status, conclusion: Status, outputs: dict) -> None:
        if step.id:
            self.contexts.steps[step.id] = {"outputs": dict(outputs), "outcome": outcome.label,
                                            "conclusion": conclusion.label}

    def _finish(self, state: JobState) -> None:
        """Job outputs (values revealing a secret are withheld, as GitHub does) and the
        step summaries."""
        reporter = self.reporter
        evaluation = self.contexts.evaluation(state.env_context(), state.status,
                                              state.cancel.is_set(),
                                              str(state.environment.host_workspace))
        outputs = {}
        for name, template in self.job.spec.outputs.items():
            try:
                value = interpolate(template, evaluation)
            except ExpressionError as error:
                reporter.log(f"##[warning]Output {name!r} cannot be evaluated: {error}")
                continue
            value = "" if value is None else to_string(value)
            if self.masker.reveals(value):
                reporter.log(f"##[warning]Skip output {name!r} since it may contain a secret.")
                continue
            outputs[name] = value
        if outputs:
            reporter.set_outputs(outputs)
        if state.summaries:
            reporter.log("##[group]Job summary")
            for summary in state.summaries:
                for line in summary.rstrip("\n").split("\n"):
                    reporter.log(line)
            reporter.log("##[endgroup]")


def _container_image(container, log) -> tuple[str | None, dict[str, str]]:
    if container is None:
        return None, {}
    if isinstance(container, str):
        return container or None, {}
    if isinstance(container, dict):
        image = container.get("image")
        env = container.get("env") or {}
        ignored = sorted(set(container) - {"image", "env"})
        if ignored:
            log(f"##[warning]container: {', '.join(ignored)} not supported by this runner; "
                "ignored")
        if not isinstance(env, dict):
            raise BackendError("container.env must be a mapping")
        return (str(image) if image else None), {str(k): to_string(v) for k, v in env.items()}
    raise BackendError("container: expected an image name or a mapping with image")


__all__ = ["JobExecutor"]
