"""Gitea's topics: ``GET/PUT …/topics``, ``PUT/DELETE …/topics/{topic}`` (Gitea's rules and
its ``invalidTopics`` 422), ``/topics/search``, the repository's ``topics``, the search's
``topic=true``, and each topic's ``repo_count`` equal to a fresh COUNT."""

from __future__ import annotations

import concurrent.futures

from plue_git_hosting.models import RepoTopic, Topic


def topic_names(forge, full_name: str, **params) -> list[str]:
    response = forge.get(f"/repos/{full_name}/topics", params=params or None)
    assert response.status_code == 200, response.text
    return response.json["topics"]


def counts() -> dict[str, int]:
    """Each topic's ``repo_count``, checked against a fresh COUNT of its rows."""
    found = {}
    for topic in Topic.select():
        assert topic.repo_count == RepoTopic.select().where(RepoTopic.topic == topic).count()
        found[topic.name] = topic.repo_count
    return found


def test_topics_are_replaced_normalized_and_shown_in_the_repository(forge):
    forge.create_repo("demo")
    response = forge.put("/repos/alice/demo/topics", {"topics": [" Go ", "web", "go", ""]})
    assert response.status_code == 204, response.text
    assert topic_names(forge, "alice/demo") == ["go", "web"]
    assert forge.get("/repos/alice/demo").json["topics"] == ["go", "web"]
    assert forge.put("/repos/alice/demo/topics", {"topics": ["web", "api"]}).status_code == 204
    assert forge.get("/repos/alice/demo").json["topics"] == ["api", "web"]
    assert counts() == {"api": 1, "web": 1}  # "go" went with its last repository
    page = forge.get("/repos/alice/demo/topics", params={"page": 2, "limit": 1})
    assert page.json == {"topics": ["web"]} and page.headers["X-Total-Count"] == "2"


def test_one_topic_is_added_and_deleted(forge):
    forge.create_repo("demo")
    assert forge.put("/repos/alice/demo/topics/Rust").status_code == 204
    assert forge.put("/repos/alice/demo/topics/rust").status_code == 204  # has it: no change
    assert topic_names(forge, "alice/demo") == ["rust"]
    assert forge.delete("/repos/alice/demo/topics/rust").status_code == 204
    assert forge.delete("/repos/alice/demo/topics/rust").status_code == 404
    assert topic_names(forge, "alice/demo") == [] and counts() == {}


def test_invalid_topics_answer_giteas_invalid_topics_body(forge):
    forge.create_repo("demo")
    response = forge.put("/repos/alice/demo/topics", {"topics": ["ok", "-bad", "x" * 36]})
    assert response.status_code == 422
    assert response.json == {"invalidTopics": ["-bad", "x" * 36],
                             "message": "Topic names are invalid"}
    many = forge.put("/repos/alice/demo/topics", {"topics": [f"t{n}" for n in range(26)]})
    assert many.status_code == 422
    assert many.json == {"invalidTopics": None,
                         "message": "Exceeding maximum number of topics per repo"}
    one = forge.put("/repos/alice/demo/topics/no_underscore")
    assert one.status_code == 422
    assert one.json == {"invalidTopics": "no_underscore", "message": "Topic name is invalid"}
    assert forge.put("/repos/alice/demo/topics",
                     {"topics": [f"t{n}" for n in range(25)]}).status_code == 204
    full = forge.put("/repos/alice/demo/topics/more")
    assert full.status_code == 422 and full.json["message"] == \
        "Exceeding maximum allowed topics per repo."
    assert len(topic_names(forge, "alice/demo", limit=50)) == 25


def test_topics_are_changed_by_administrators_and_read_by_readers(forge):
    forge.create_repo("secret", private=True)
    assert forge.put("/repos/alice/secret/collaborators/carol", {"permission": "write"}).status_code == 204
    assert forge.put("/repos/alice/secret/topics/go", as_user="carol").status_code == 403
    assert forge.put("/repos/alice/secret/topics", {"topics": ["go"]}, as_user="carol").status_code == 403
    assert forge.get("/repos/alice/secret/topics", as_user="bob").status_code == 404
    assert forge.put("/repos/alice/secret/topics/go", as_user="bob").status_code == 404
    assert topic_names(forge, "alice/secret", ) == []
    assert forge.patch("/repos/alice/secret", {"archived": True}).status_code == 200
    assert forge.put("/repos/alice/secret/topics/go").status_code == 204  # as Gitea: allowed


def test_topic_search_and_the_repository_search_by_topic(forge):
    forge.create_repo("one")
    forge.create_repo("two")
    forge.create_repo("three")
    assert forge.put("/repos/alice/one/topics", {"topics": ["golang", "web"]}).status_code == 204
    assert forge.put("/repos/alice/two/topics", {"topics": ["golang"]}).status_code == 204
    assert forge.put("/repos/alice/three/topics", {"topics": ["go"]}).status_code == 204
    found = forge.get("/topics/search", params={"q": "go"})
    assert found.status_code == 200, found.text
    assert [(t["topic_name"], t["repo_count"]) for t in found.json["topics"]] == \
        [("golang", 2), ("go", 1)]
    assert set(found.json["topics"][0]) == {"id", "topic_name", "repo_count", "created",
                                            "updated"}
    assert found.headers["X-Total-Count"] == "2"
    anonymous = forge.get("/topics/search", params={"q": "go"}, as_user=None)
    assert anonymous.status_code == 200 and anonymous.json == found.json  # as Gitea's
    searched = forge.get("/repos/search", params={"q": "go", "topic": "true"})
    assert [r["name"] for r in searched.json["data"]] == ["three"]  # exactly "go"
    searched = forge.get("/repos/search", params={"q": "golang,web", "topic": "true"})
    assert [r["name"] for r in searched.json["data"]] == ["one", "two"]


def test_a_deleted_repository_takes_its_topic_counts(forge):
    forge.create_repo("one")
    forge.create_repo("two")
    for name in ("one", "two"):
        assert forge.put(f"/repos/alice/{name}/topics", {"topics": ["go", name]}).status_code == 204
    assert forge.delete("/repos/alice/one").status_code == 204
    assert counts() == {"go": 1, "two": 1}


def test_topics_added_at_once_count_once(forge):
    for name in ("one", "two"):
        forge.create_repo(name)
    paths = ["/repos/alice/one/topics/go", "/repos/alice/one/topics/go",
             "/repos/alice/two/topics/go", "/repos/alice/two/topics/go"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda path: forge.put(path).status_code, paths))
    assert answers == [204] * 4
    assert counts() == {"go": 2}
