"""``/repos/{owner}/{repo}/issues/{index}/timeline``: an issue's comments and events, oldest
first, as Gitea's ``TimelineComment``s (paginated, ``since`` / ``before`` on the last update)."""

from __future__ import annotations

from plue_core.openapi import operation

from plue_issues import timeline
from plue_issues.resources.common import IssuesApiResource
from plue_issues.schemas.shapes import TIMELINE_COMMENT_SHAPE
from plue_issues.schemas.times import parse_query_time


class IssueTimelineResource(IssuesApiResource):
    @operation("List all comments and events on an issue", response=TIMELINE_COMMENT_SHAPE,
               many=True, tags=("issue",), query=("since", "before", "page", "limit"),
               operation_id="issueGetCommentsAndTimeline")
    def on_get(self, req, resp, owner, repo, index):
        since, before = parse_query_time(req, "since"), parse_query_time(req, "before")
        access = self.read_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        query = timeline.timeline_of_issue(issue, since=since, before=before)
        rows = self.issues.readable_timeline(issue, self.page(req, resp, query), access.identity)
        resp.media = self.presenter(req, access).timeline(issue, rows)
