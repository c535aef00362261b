"""Runners and registration tokens for every scope: repository, organization, user, admin."""

from __future__ import annotations

import falcon
from marshmallow import Schema, fields

from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.validation import load_body

from plue_actions import runner_registry
from plue_actions.resources.access import ScopedResource, scoped_ids
from plue_actions.schemas.shapes import RUNNERS_SHAPE, RUNNER_SHAPE, Shapes, rfc3339


class EditActionRunnerOption(Schema):
    disabled = fields.Boolean(required=True)


def _disabled_filter(req):
    value = req.get_param("disabled")
    if value is None:
        return None
    return value.lower() in ("1", "true", "yes")


class RegistrationTokenResource(ScopedResource):
    """GET (Gitea 1.25, the seed) returns the active token; POST (Gitea main, GitHub) makes a
    new one. Both answer ``{"token", "expires_at"}``."""

    def _answer(self, req, resp, params, fresh: bool):
        owner_id, repository_id = self.scope(req, params, write=True)
        token, expires = runner_registry.registration_token(
            self.service.box, owner_id, repository_id,
            self.service.settings["registration_token_ttl"], fresh=fresh)
        resp.media = {"token": token, "expires_at": rfc3339(expires)}

    @operation("Get the runner registration token of this scope", tags=["actions"])
    def on_get(self, req, resp, **params):
        self._answer(req, resp, params, fresh=False)

    @operation("Create a new runner registration token for this scope", tags=["actions"],
               operation_id=scoped_ids("/runners/registration-token",
                                       "{scope}CreateRunnerRegistrationToken"))
    def on_post(self, req, resp, **params):
        self._answer(req, resp, params, fresh=True)


class RunnersResource(ScopedResource):
    @operation("List the runners of this scope", response=RUNNERS_SHAPE, tags=["actions"],
               operation_id=scoped_ids("/runners", "get{Scope}Runners"))
    def on_get(self, req, resp, **params):
        owner_id, repository_id = self.scope(req, params, write=False)
        query = runner_registry.runners_in_scope(owner_id, repository_id,
                                                 disabled=_disabled_filter(req))
        total = query.count()
        page = paginate(req, resp, query, self.pagination)
        busy = runner_registry.busy_runner_ids([r.id for r in page])
        offline_after = self.service.settings["runner_offline_after"]
        resp.media = RUNNERS_SHAPE((total, [
            Shapes.runner(r, runner_registry.is_online(r, offline_after), r.id in busy) for r in page]))


class RunnerResource(ScopedResource):
    def _runner(self, req, params, write):
        owner_id, repository_id = self.scope(req, params, write=write)
        return runner_registry.get_runner(owner_id, repository_id, params["runner_id"])

    @operation("Get a runner", response=RUNNER_SHAPE, tags=["actions"],
               operation_id=scoped_ids("/runners/{}", "get{Scope}Runner"))
    def on_get(self, req, resp, **params):
        runner = self._runner(req, params, False)
        busy = runner_registry.busy_runner_ids([runner.id])
        resp.media = Shapes.runner(runner, runner_registry.is_online(
            runner, self.service.settings["runner_offline_after"]), runner.id in busy)

    @operation("Disable or enable a runner", request=EditActionRunnerOption, response=RUNNER_SHAPE,
               tags=["actions"], operation_id=scoped_ids("/runners/{}", "update{Scope}Runner"))
    def on_patch(self, req, resp, **params):
        runner = self._runner(req, params, True)
        runner.disabled = load_body(req, EditActionRunnerOption)["disabled"]
        runner.save()
        resp.media = Shapes.runner(runner, runner_registry.is_online(
            runner, self.service.settings["runner_offline_after"]),
            runner.id in runner_registry.busy_runner_ids([runner.id]))

    @operation("Delete a runner", tags=["actions"],
               operation_id=scoped_ids("/runners/{}", "delete{Scope}Runner"))
    def on_delete(self, req, resp, **params):
        self._runner(req, params, True).delete_instance()
        resp.status = falcon.HTTP_204
