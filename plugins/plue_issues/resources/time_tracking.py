"""Gitea's time tracking API: an issue's tracked times (``/issues/{index}/times``: list, add,
reset the caller's, delete one) and the caller's stopwatch on it (``/stopwatch/start``,
``/stop``, ``/delete``); a repository's times (``/times``, the deprecated ``/times/{user}``);
the caller's own times and running stopwatches (``/user/times``, ``/user/stopwatches``).
Every one needs a signed-in caller (Gitea's ``reqToken``)."""

from __future__ import annotations

import falcon

from plue_core.errors import BadRequest, Forbidden, NotFound
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import time_tracking
from plue_issues.resources.common import IssuesApiResource, access_of
from plue_issues.schemas.options import AddTimeOption
from plue_issues.schemas.time_tracking import (
    STOPWATCH_SHAPE, TRACKED_TIME_SHAPE, stopwatches_json, tracked_times_json,
)
from plue_issues.schemas.times import parse_query_time

FILTERS = ("user", "since", "before", "page", "limit")


class _TimeTracking(IssuesApiResource):
    def signed_in(self, req, owner: str, repo: str, area: str = "issue"):
        """The signed-in caller's access (401 without credentials, 404 when they cannot see
        the repository) and account; writes are refused on an archived repository (423)."""
        identity = require_identity(req, scope=(access_of(req), area))
        access = self.issues.access(identity, owner, repo)
        if req.method != "GET":
            access.require_not_archived()
        return access, self.issues.accounts.account_for(identity)

    def listed_user_id(self, req, access, doer) -> int | None:
        """The ``user`` filter (404 for no such user), narrowed to what ``doer`` may see."""
        name = (req.get_param("user") or "").strip()
        user_id = self.issues.accounts.get_user(name).id if name else None
        return time_tracking.listed_user_id(access, doer, user_id)

    def respond_times(self, req, resp, access, query) -> None:
        rows = self.page(req, resp, query)
        resp.media = tracked_times_json(self.issues, access.identity, rows,
                                        repository=access.repository)


class IssueTimesResource(_TimeTracking):
    @operation("List an issue's tracked times", response=TRACKED_TIME_SHAPE, many=True,
               tags=("issue",), query=FILTERS, operation_id="issueTrackedTimes")
    def on_get(self, req, resp, owner, repo, index):
        since, before = parse_query_time(req, "since"), parse_query_time(req, "before")
        access, doer = self.signed_in(req, owner, repo)
        if not time_tracking.tracker_enabled(access.repository):
            raise NotFound("Timetracker is disabled")
        issue = self.issues.get_issue(access, index)
        user_id = self.listed_user_id(req, access, doer)
        self.respond_times(req, resp, access, time_tracking.times_query(
            issue_id=issue.id, user_id=user_id, since=since, before=before))

    @operation("Add tracked time to a issue", request=AddTimeOption, response=TRACKED_TIME_SHAPE,
               tags=("issue",), operation_id="issueAddTime")
    def on_post(self, req, resp, owner, repo, index):
        access, doer = self.signed_in(req, owner, repo)
        body = load_body(req, AddTimeOption)
        issue = self.issues.get_issue(access, index)
        time_tracking.require_tracking(access, issue, doer)
        user = doer
        name = body["user_name"]
        # Gitea: a repository admin may book time for someone else, a site admin too.
        if name and ((access.is_admin and name.lower() != doer.name.lower()) or doer.is_admin):
            user = self.issues.accounts.get_user(name)
        tracked = time_tracking.add_time(issue, user, body["time"], body["created"])
        resp.media = tracked_times_json(self.issues, access.identity, [tracked],
                                        repository=access.repository)[0]

    @operation("Reset a tracked time of an issue", status=204, tags=("issue",),
               operation_id="issueResetTime")
    def on_delete(self, req, resp, owner, repo, index):
        access, doer = self.signed_in(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        time_tracking.require_tracking(access, issue, doer)
        time_tracking.reset_times(issue, doer)
        resp.status = falcon.HTTP_204


class IssueTimeResource(_TimeTracking):
    @operation("Delete specific tracked time", status=204, tags=("issue",),
               operation_id="issueDeleteTime")
    def on_delete(self, req, resp, owner, repo, index, time_id):
        access, doer = self.signed_in(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        time_tracking.require_tracking(access, issue, doer)
        time_tracking.delete_time(issue, doer, time_id)
        resp.status = falcon.HTTP_204


class _StopwatchResource(_TimeTracking):
    def prepared(self, req, owner, repo, index):
        access, doer = self.signed_in(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        time_tracking.require_stopwatch_use(access, issue, doer)
        return issue, doer


class StopwatchStartResource(_StopwatchResource):
    @operation("Start stopwatch on an issue.", status=201, tags=("issue",),
               operation_id="issueStartStopWatch")
    def on_post(self, req, resp, owner, repo, index):
        time_tracking.start_stopwatch(*self.prepared(req, owner, repo, index))
        resp.status = falcon.HTTP_201


class StopwatchStopResource(_StopwatchResource):
    @operation("Stop an issue's existing stopwatch.", status=201, tags=("issue",),
               operation_id="issueStopStopWatch")
    def on_post(self, req, resp, owner, repo, index):
        time_tracking.stop_stopwatch(*self.prepared(req, owner, repo, index))
        resp.status = falcon.HTTP_201


class StopwatchDeleteResource(_StopwatchResource):
    @operation("Delete an issue's existing stopwatch.", status=204, tags=("issue",),
               operation_id="issueDeleteStopWatch")
    def on_delete(self, req, resp, owner, repo, index):
        time_tracking.cancel_stopwatch(*self.prepared(req, owner, repo, index))
        resp.status = falcon.HTTP_204


class RepositoryTimesResource(_TimeTracking):
    @operation("List a repo's tracked times", response=TRACKED_TIME_SHAPE, many=True,
               tags=("repository",), query=FILTERS, operation_id="repoTrackedTimes")
    def on_get(self, req, resp, owner, repo):
        since, before = parse_query_time(req, "since"), parse_query_time(req, "before")
        access, doer = self.signed_in(req, owner, repo, "repository")
        access.require_unit(False)
        if not time_tracking.tracker_enabled(access.repository):
            raise BadRequest("time tracking disabled")
        user_id = self.listed_user_id(req, access, doer)
        self.respond_times(req, resp, access, time_tracking.times_query(
            repository_id=access.repository.id, user_id=user_id, since=since, before=before))


class RepositoryUserTimesResource(_TimeTracking):
    @operation("List a user's tracked times in a repo", response=TRACKED_TIME_SHAPE, many=True,
               tags=("repository",), operation_id="userTrackedTimes")
    def on_get(self, req, resp, owner, repo, username):
        access, doer = self.signed_in(req, owner, repo, "repository")
        access.require_unit(False)
        if not time_tracking.tracker_enabled(access.repository):
            raise BadRequest("time tracking disabled")
        user = self.issues.accounts.get_user(username)
        if not (access.is_admin or doer.is_admin or doer.id == user.id):
            raise Forbidden("query by user not allowed; not enough rights")
        rows = time_tracking.times_query(repository_id=access.repository.id, user_id=user.id)
        resp.media = tracked_times_json(self.issues, access.identity, rows,
                                        repository=access.repository)


class CurrentUserTimesResource(IssuesApiResource):
    @operation("List the current user's tracked times", response=TRACKED_TIME_SHAPE, many=True,
               tags=("user",), query=("page", "limit", "since", "before"),
               operation_id="userCurrentTrackedTimes")
    def on_get(self, req, resp):
        since, before = parse_query_time(req, "since"), parse_query_time(req, "before")
        identity = require_identity(req, scope=("read", "user"))
        query = time_tracking.times_query(user_id=identity.user_id, since=since, before=before)
        resp.media = tracked_times_json(self.issues, identity, self.page(req, resp, query))


class CurrentUserStopwatchesResource(IssuesApiResource):
    @operation("Get list of all existing stopwatches", response=STOPWATCH_SHAPE, many=True,
               tags=("user",), query=("page", "limit"), operation_id="userGetStopWatches")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        query = time_tracking.stopwatches_query(identity.user_id)
        resp.media = stopwatches_json(self.page(req, resp, query))
