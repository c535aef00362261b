"""``/pulls/{index}/reviews`` and ``/pulls/{index}/reviews/{id}`` (get, submit, delete,
comments, dismissals)."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation
from plue_core.pagination import Page
from plue_core.validation import load_body

from plue_pulls import review_requests, reviews
from plue_pulls.resources.common import PullsApiResource
from plue_pulls.schemas.shapes import PULL_REVIEW_COMMENT_SHAPE, PULL_REVIEW_SHAPE
from plue_pulls.schemas.options import (
    CreatePullReviewOptions, DismissPullReviewOptions, PullReviewRequestOptions,
    SubmitPullReviewOptions,
)

TAGS = ("repository",)


class ReviewsResource(PullsApiResource):
    @operation("List a pull request's reviews", response=PULL_REVIEW_SHAPE, many=True,
               tags=TAGS, query=("page", "limit"), operation_id="repoListPullReviews")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        pull = self.pull(access, index)
        page = Page.from_request(req, self.ctx.config.pagination)
        query = reviews.reviews_of(pull, self.viewer_account(req))
        total = query.count()
        rows = list(page.apply(query))
        page.set_headers(req, resp, total)
        resp.media = self.presenter(req, access).reviews(rows, pull)

    @operation("Create a review (Gitea answers 200)", request=CreatePullReviewOptions,
               response=PULL_REVIEW_SHAPE, tags=TAGS, operation_id="repoCreatePullReview")
    def on_post(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        pull = self.pull(access, index)
        options = load_body(req, CreatePullReviewOptions)
        review = self.service.submit_review(access, pull, doer, options)
        resp.media = self.presenter(req, access).review(review, pull)


class ReviewResource(PullsApiResource):
    def _review(self, req, owner, repo, index, review_id, *, write: bool = False):
        if write:
            access, doer = self.write_access(req, owner, repo)
        else:
            access, doer = self.read_access(req, owner, repo), self.viewer_account(req)
        pull = self.pull(access, index)
        return access, doer, pull, reviews.get_review(pull, review_id, doer)

    @operation("Get a review", response=PULL_REVIEW_SHAPE, tags=TAGS,
               operation_id="repoGetPullReview")
    def on_get(self, req, resp, owner, repo, index, review_id):
        access, _doer, pull, review = self._review(req, owner, repo, index, review_id)
        resp.media = self.presenter(req, access).review(review, pull)

    @operation("Submit a pending review", request=SubmitPullReviewOptions,
               response=PULL_REVIEW_SHAPE, tags=TAGS, operation_id="repoSubmitPullReview")
    def on_post(self, req, resp, owner, repo, index, review_id):
        access, doer, pull, review = self._review(req, owner, repo, index, review_id, write=True)
        options = load_body(req, SubmitPullReviewOptions)
        review = reviews.submit_review(self.service, access, pull, review, doer, options)
        resp.media = self.presenter(req, access).review(review, pull)

    @operation("Delete a review (its author or a site administrator)", status=204, tags=TAGS,
               operation_id="repoDeletePullReview")
    def on_delete(self, req, resp, owner, repo, index, review_id):
        _access, doer, _pull, review = self._review(req, owner, repo, index, review_id, write=True)
        reviews.delete_review(self.service, review, doer)
        resp.status = falcon.HTTP_204

    @operation("List a review's line comments", response=PULL_REVIEW_COMMENT_SHAPE, many=True,
               tags=TAGS, operation_id="repoGetPullReviewComments")
    def on_get_comments(self, req, resp, owner, repo, index, review_id):
        access, _doer, pull, review = self._review(req, owner, repo, index, review_id)
        resp.media = self.presenter(req, access).review_comments(reviews.comments_of(review), pull)

    @operation("Dismiss a review (repository administrators)", request=DismissPullReviewOptions,
               response=PULL_REVIEW_SHAPE, tags=TAGS, operation_id="repoDismissPullReview")
    def on_post_dismissals(self, req, resp, owner, repo, index, review_id):
        access, doer, pull, review = self._review(req, owner, repo, index, review_id, write=True)
        options = load_body(req, DismissPullReviewOptions)
        review = self.service.dismiss_review(access, pull, review.id, doer,
                                             options["message"] or "")
        resp.media = self.presenter(req, access).review(review, pull)

    @operation("Cancel a review's dismissal (repository administrators)",
               response=PULL_REVIEW_SHAPE, tags=TAGS, operation_id="repoUnDismissPullReview")
    def on_post_undismissals(self, req, resp, owner, repo, index, review_id):
        access, doer, pull, review = self._review(req, owner, repo, index, review_id, write=True)
        review = self.service.dismiss_review(access, pull, review.id, doer, dismissed=False)
        resp.media = self.presenter(req, access).review(review, pull)


class RequestedReviewersResource(PullsApiResource):
    """``/pulls/{index}/requested_reviewers``: Gitea answers POST with the new requests (201)
    and DELETE with 204."""

    def _load(self, req, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        pull = self.pull(access, index)
        options = load_body(req, PullReviewRequestOptions)
        return access, doer, pull, options["reviewers"] or [], options["team_reviewers"] or []

    @operation("Request reviews of a pull request", request=PullReviewRequestOptions,
               response=PULL_REVIEW_SHAPE, many=True, status=201, tags=TAGS,
               operation_id="repoCreatePullReviewRequests")
    def on_post(self, req, resp, owner, repo, index):
        access, doer, pull, logins, teams = self._load(req, owner, repo, index)
        created = review_requests.request_reviews(self.service, access, pull, doer, logins, teams)
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).reviews(created, pull)

    @operation("Cancel review requests of a pull request", request=PullReviewRequestOptions,
               status=204, tags=TAGS, operation_id="repoDeletePullReviewRequests")
    def on_delete(self, req, resp, owner, repo, index):
        access, doer, pull, logins, teams = self._load(req, owner, repo, index)
        review_requests.withdraw_reviews(self.service, access, pull, doer, logins, teams)
        resp.status = falcon.HTTP_204
