"""/api/runners (list, register) and /api/runners/{runner_id}/status."""

from __future__ import annotations

import falcon

from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_runnerhub import hub_runners
from plue_runnerhub.envelope import load, success
from plue_runnerhub.resources.jobs import TAGS, HubResource
from plue_runnerhub.schemas import (
    REGISTERED_RUNNER_ENVELOPE,
    REGISTERED_RUNNER_SHAPE,
    RUNNER_STATUS_ENVELOPE,
    RUNNERS_ENVELOPE,
    RUNNERS_SHAPE,
    RegisterRunner,
)


class RunnersResource(HubResource):
    @operation("List the runners you can manage, with a summary", response=RUNNERS_ENVELOPE,
               query=("status", "labels"), tags=TAGS)
    def on_get(self, req, resp):
        identity = self.caller(req)
        status, labels = hub_runners.parse_filters(req.get_param("status"), req.get_param("labels"))
        every = hub_runners.visible_runners(self.service, identity)
        renderer = hub_runners.RunnerRenderer(self.service, every)
        shown = [r for r in every if renderer.matches(r, status, labels)]
        success(resp, RUNNERS_SHAPE(hub_runners.Listing(shown, every), renderer))

    @operation("Register a runner; answers its runner.v1 uuid and token once",
               request=RegisterRunner, response=REGISTERED_RUNNER_ENVELOPE, status=201, tags=TAGS)
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "repository"))
        body = load(req, RegisterRunner)
        runner, token = hub_runners.register(self.service, identity, body)
        # runner.v1 credentials (x-runner-uuid / x-runner-token): shown this once, stored hashed.
        renderer = hub_runners.RunnerRenderer(self.service, [runner], token=token)
        success(resp, REGISTERED_RUNNER_SHAPE(runner, renderer), status=falcon.HTTP_201,
                message="Runner registered successfully")


class RunnerStatusResource(HubResource):
    @operation("Get a runner's status, current job and health", response=RUNNER_STATUS_ENVELOPE,
               tags=TAGS)
    def on_get(self, req, resp, runner_id):
        runner = hub_runners.find_runner(self.service, self.caller(req), runner_id)
        success(resp, hub_runners.RunnerRenderer(self.service, [runner]).status(runner))
