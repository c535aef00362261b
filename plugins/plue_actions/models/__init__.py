"""The actions plugin's tables (all named ``action_*``, as in Gitea)."""

from plue_actions.models.runner_registry import RegistrationToken, Runner
from plue_actions.models.runs import (
    CommitStatus, Job, Run, RunAttempt, Schedule, TasksVersion, WorkflowState,
)
from plue_actions.models.secrets import Artifact, Secret, SecretKeyPair, Variable
from plue_actions.models.tasks import LogLine, Task, TaskMask, TaskOutput, TaskStep

MODELS = [Run, RunAttempt, Job, TasksVersion, WorkflowState, Schedule, CommitStatus, Task,
          TaskStep, TaskOutput, LogLine, TaskMask, Runner, RegistrationToken, Secret,
          SecretKeyPair, Variable, Artifact]

__all__ = [model.__name__ for model in MODELS] + ["MODELS"]
