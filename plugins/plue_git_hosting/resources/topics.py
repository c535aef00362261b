"""Gitea's topic endpoints: a repository's topics (read by its readers, changed by its
administrators, an archived repository's too: Gitea has no ``mustNotBeArchived`` there) and
the topic search."""

from __future__ import annotations

import falcon
from marshmallow import Schema, fields

from plue_core.errors import NotFound
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.shapes import Shape, integer, string, time
from plue_core.validation import load_body

from plue_git_hosting import topics
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.shapes import rfc3339

TAGS = ("repository",)

TOPIC_SHAPE = Shape("TopicResponse", [
    integer("id"),
    string("topic_name", "name"),
    integer("repo_count"),
    time("created", lambda topic, _: rfc3339(topic.created_at)),
    time("updated", lambda topic, _: rfc3339(topic.updated_at)),
], description="Gitea's TopicResponse")


class RepoTopicOptions(Schema):
    topics = fields.List(fields.String(), load_default=list)


def _invalid(resp, error: topics.InvalidTopics) -> None:
    """Gitea's ``invalidTopicsError`` body, written by hand as Gitea's is."""
    resp.status = falcon.HTTP_422
    resp.media = {"invalidTopics": error.invalid, "message": error.message}


class TopicsResource(GitHostingResource):
    @operation("Get the topics of a repository (TopicName)", tags=TAGS,
               query=("page", "limit"), operation_id="repoListTopics")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        rows = paginate(req, resp, topics.names_query(repository), self.pagination)
        resp.media = {"topics": [row.name for row in rows]}

    @operation("Replace the topics of a repository", request=RepoTopicOptions, status=204,
               tags=TAGS, operation_id="repoUpdateTopics")
    def on_put(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo, "admin", allow_archived=True)
        options = load_body(req, RepoTopicOptions)
        try:
            topics.replace(repository, topics.sanitized(options["topics"]))
        except topics.InvalidTopics as error:
            return _invalid(resp, error)
        resp.status = falcon.HTTP_204


class TopicResource(GitHostingResource):
    @operation("Add a topic to a repository", status=204, tags=TAGS,
               operation_id="repoAddTopic")
    def on_put(self, req, resp, owner, repo, topic):
        repository = self.writable(req, owner, repo, "admin", allow_archived=True)
        try:
            topics.add(repository, topics.checked(topic))
        except topics.InvalidTopics as error:
            return _invalid(resp, error)
        resp.status = falcon.HTTP_204

    @operation("Delete a topic from a repository (404 when it has not that topic)", status=204,
               tags=TAGS, operation_id="repoDeleteTopic")
    def on_delete(self, req, resp, owner, repo, topic):
        repository = self.writable(req, owner, repo, "admin", allow_archived=True)
        try:
            name = topics.checked(topic)
        except topics.InvalidTopics as error:
            return _invalid(resp, error)
        if not topics.remove(repository, name):
            raise NotFound(f"{repository.full_name} has no topic {name!r}")
        resp.status = falcon.HTTP_204


class TopicSearchResource(GitHostingResource):
    @operation("Search topics by keyword (Gitea answers {\"topics\": [TopicResponse]})",
               tags=TAGS, query=("q", "page", "limit"), operation_id="topicSearch")
    def on_get(self, req, resp):
        # Gitea answers anonymous callers too: topic names and counts are the site's.
        rows = paginate(req, resp, topics.search_query(req.get_param("q") or ""),
                        self.pagination)
        resp.media = {"topics": [TOPIC_SHAPE(row, None) for row in rows]}
