"""``/api/repos/{id}/webhook``: GitLab's push deliveries (``POST``, authenticated by
``X-Gitlab-Token``) and the owner's view and setting of the token (``GET``/``PUT``/``DELETE``,
with the user's credentials). See ``gitlab_webhooks``."""

from __future__ import annotations

from plue_core.errors import BadRequest, Invalid
from plue_core.openapi import operation
from plue_core.validation import load_body
from plue_tracked_repos import gitlab_webhooks
from plue_tracked_repos.resources.repositories import TAGS, caller
from plue_tracked_repos.schemas import WebhookTokenRequest


class RepositoryWebhookResource:
    def __init__(self, service):
        self.service = service

    @operation("Receive a GitLab push webhook (X-Gitlab-Token) and sync the repository",
               tags=TAGS)
    def on_post(self, req, resp, repo_id):
        resp.media = gitlab_webhooks.receive(
            self.service, repo_id, req.get_header("X-Gitlab-Token"),
            req.get_header("X-Gitlab-Event"), req.bounded_stream.read())

    @operation("Where GitLab sends the repository's pushes, and whether a token is set",
               tags=TAGS)
    def on_get(self, req, resp, repo_id):
        repository = gitlab_webhooks.gitlab_repository(caller(req), repo_id)
        resp.media = gitlab_webhooks.webhook_json(self.service, repository)

    @operation("Set the token GitLab sends as X-Gitlab-Token", request=WebhookTokenRequest,
               tags=TAGS)
    def on_put(self, req, resp, repo_id):
        user_id = caller(req)
        try:
            body = load_body(req, WebhookTokenRequest)
        except Invalid as exc:  # seed 003 answers 400 for every unusable body
            raise BadRequest(exc.message) from None
        repository = gitlab_webhooks.set_token(self.service, user_id, repo_id, body["token"])
        resp.media = gitlab_webhooks.webhook_json(self.service, repository)

    @operation("Remove the token: GitLab's deliveries are refused", tags=TAGS)
    def on_delete(self, req, resp, repo_id):
        repository = gitlab_webhooks.clear_token(caller(req), repo_id)
        resp.media = gitlab_webhooks.webhook_json(self.service, repository)
