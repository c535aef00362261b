"""runnerhub: RunnerHub's job, runner and queue APIs as a view and control surface over the
actions engine (its runs, jobs, tasks, runners and logs). This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plugins.plue_runnerhub import models, queues, routes

PLUE_NAME = "runnerhub"
PLUE_REQUIRES = ("accounts", "git_hosting", "actions")


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_routes(ctx):
    return routes.all_routes(ctx.services["actions"])


@hookimpl
def startup(ctx):
    # Paused queues: the actions claim path asks this before handing a job to a runner.
    claim_filters = ctx.services["actions"].claim_filters
    if queues.held_back_factory not in claim_filters:
        claim_filters.append(queues.held_back_factory)
