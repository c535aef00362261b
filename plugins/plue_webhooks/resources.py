"""Gitea's hooks endpoints for the four owners (repository, organization, user, system), and
Plue's delivery records under each hook. Thin: resolve the owner (``owners``), call
``hooks`` / ``outbox``, render."""

from __future__ import annotations

import falcon

from plue_core.db import write_transaction
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.routing import Route
from plue_core.validation import load_body

from plue_webhooks import deliveries, hooks, owners, hook_trials
from plue_webhooks.schemas import (
    CreateHookOption, DeliverySchema, EditHookOption, HookSchema,
)

V1 = "/api/v1"
# The collection of each owner's hooks, and Gitea's operation-id prefix for it.
MOUNTS = {
    "repository": (f"{V1}/repos/{{owner}}/{{repo}}/hooks", "repo"),
    "organization": (f"{V1}/orgs/{{org}}/hooks", "org"),
    "user": (f"{V1}/user/hooks", "user"),
    "system": (f"{V1}/admin/hooks", "admin"),
}
TAGS = {"repository": ("repository",), "organization": ("organization",), "user": ("user",),
        "system": ("admin",)}


class HookOwnerResource:
    kind = ""

    def __init__(self, ctx):
        self.ctx = ctx
        self.service = ctx.services["webhooks"]
        self.pagination = ctx.config.pagination

    def owner(self, req, params) -> hooks.HookOwner:
        return owners.RESOLVERS[self.kind](self.ctx, req, params)

    def hook(self, req, params) -> hooks.Webhook:
        return hooks.get_hook(self.owner(req, params), params["id"])


class HooksCollection(HookOwnerResource):
    def list_hooks(self, req, resp, **params):
        rows = paginate(req, resp, hooks.hooks_of(self.owner(req, params), req.get_param("type")),
                        self.pagination)
        resp.media = [hooks.hook_json(hook) for hook in rows]

    def create(self, req, resp, **params):
        owner = self.owner(req, params)
        options = load_body(req, CreateHookOption)
        with write_transaction():
            hook = hooks.create_hook(self.service, owner, options)
        resp.status = falcon.HTTP_201
        resp.media = hooks.hook_json(hook)


class HookItem(HookOwnerResource):
    def get(self, req, resp, **params):
        resp.media = hooks.hook_json(self.hook(req, params))

    def edit(self, req, resp, **params):
        hook = self.hook(req, params)
        options = load_body(req, EditHookOption)
        with write_transaction():
            hooks.edit_hook(self.service, hook, options)
        resp.media = hooks.hook_json(hook)

    def delete(self, req, resp, **params):
        hook = self.hook(req, params)
        with write_transaction():
            hooks.delete_hook(hook)
        resp.status = falcon.HTTP_204


class HookTest(HookOwnerResource):
    kind = "repository"

    @operation("Test a push webhook (sends a push event with the branch's last commit)",
               status=204, tags=("repository",), query=("ref",), operation_id="repoTestHook")
    def on_post(self, req, resp, **params):
        owner = self.owner(req, params)
        hook = hooks.get_hook(owner, params["id"])
        hook_trials.send_test(self.service, hook, owner.repository, req.context.identity,
                                req.get_param("ref") or "")
        resp.status = falcon.HTTP_204


class DeliveryCollection(HookOwnerResource):
    def list_deliveries(self, req, resp, **params):
        hook = self.hook(req, params)
        rows = paginate(req, resp, deliveries.deliveries_of(hook), self.pagination)
        resp.media = deliveries.deliveries_json(rows)


class DeliveryItem(HookOwnerResource):
    def get(self, req, resp, **params):
        delivery = deliveries.get_delivery(self.hook(req, params), params["delivery_id"])
        resp.media = deliveries.deliveries_json([delivery])[0]

    def redeliver(self, req, resp, **params):
        delivery = deliveries.get_delivery(self.hook(req, params), params["delivery_id"])
        with write_transaction():
            copy = deliveries.redeliver(delivery)
        self.service.wake_sender()
        resp.status = falcon.HTTP_202
        resp.media = deliveries.deliveries_json([copy])[0]


def _owned(kind: str, base: type, responders: dict) -> type:
    """``base`` for the hooks of ``kind``, its responders documented under Gitea's ids."""
    members = {"kind": kind}
    for method, (impl, summary, kwargs) in responders.items():
        def responder(self, req, resp, _impl=impl, **params):
            return getattr(self, _impl)(req, resp, **params)
        members[f"on_{method}"] = operation(summary, tags=TAGS[kind], **kwargs)(responder)
    return type(f"{kind.title()}{base.__name__}", (base,), members)


def routes(ctx) -> list[Route]:
    found = []
    for kind, (collection, prefix) in MOUNTS.items():
        item = f"{collection}/{{id:id}}"
        found += [
            Route(collection, _owned(kind, HooksCollection, {
                "get": ("list_hooks", f"List the {kind}'s webhooks",
                        {"response": HookSchema, "many": True,
                         "query": ("page", "limit") + (("type",) if kind == "system" else ()),
                         "operation_id": f"{prefix}ListHooks"}),
                "post": ("create", f"Create a {kind} webhook",
                         {"request": CreateHookOption, "response": HookSchema, "status": 201,
                          "operation_id": f"{prefix}CreateHook"}),
            })(ctx)),
            Route(item, _owned(kind, HookItem, {
                "get": ("get", "Get a webhook", {"response": HookSchema,
                                                 "operation_id": f"{prefix}GetHook"}),
                "patch": ("edit", "Edit a webhook", {"request": EditHookOption,
                                                     "response": HookSchema,
                                                     "operation_id": f"{prefix}EditHook"}),
                "delete": ("delete", "Delete a webhook", {"status": 204,
                                                          "operation_id": f"{prefix}DeleteHook"}),
            })(ctx)),
            Route(f"{item}/deliveries", _owned(kind, DeliveryCollection, {
                "get": ("list_deliveries", "List a webhook's deliveries, newest first (Plue)",
                        {"response": DeliverySchema, "many": True, "query": ("page", "limit"),
                         "operation_id": f"{prefix}ListHookDeliveries"}),
            })(ctx)),
            Route(f"{item}/deliveries/{{delivery_id:id}}", _owned(kind, DeliveryItem, {
                "get": ("get", "Get one delivery with its attempts (Plue)",
                        {"response": DeliverySchema,
                         "operation_id": f"{prefix}GetHookDelivery"}),
            })(ctx)),
            Route(f"{item}/deliveries/{{delivery_id:id}}/redeliver", _owned(kind, DeliveryItem, {
                "post": ("redeliver", "Send a delivery's payload again, as a new delivery (Plue)",
                         {"response": DeliverySchema, "status": 202,
                          "operation_id": f"{prefix}RedeliverHookDelivery"}),
            })(ctx)),
        ]
        if kind == "repository":
            found.append(Route(f"{item}/tests", HookTest(ctx)))
    return found
