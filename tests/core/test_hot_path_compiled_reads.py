"""The issue list and GET, the run list and the contents GET compile no peewee query per
request (issue 13, round four): their queries are compiled once (``CompiledSelect``, and
``CompiledIdsSelect`` for a page's ``IN`` lists), the contents GET reads one ref instead of
listing them all and walks a file's history once per commit. Counted, never timed; that the
bodies stay byte for byte the same is checked by ``bench/hot_path_bodies.py`` and by the
comparisons below."""

from __future__ import annotations

import pytest

from plue_core.db import CompiledIdsSelect, connection
from plue_core.testing import compiled_queries
from tests.core.test_hot_path_query_counts import bench, statements_for  # noqa: F401 (a fixture)

REPO = "/api/v1/repos/bench/bench"


@pytest.fixture
def compiled(ctx):
    """The models of the queries peewee compiles during the test (``compiled_queries``)."""
    with compiled_queries(ctx.db) as found:
        yield found


def _get(client, bench, path, query=""):  # noqa: F811
    result = client.simulate_get(path, headers=bench["headers"], query_string=query)
    assert result.status_code == 200, result.text
    return result


LIST_STATEMENTS = {"limit=30": 8, "state=all": 8, "state=closed": 4, "type=issues": 7,
                   "type=pulls&state=all": 8, "limit=1&page=2": 8}


@pytest.mark.parametrize("query", list(LIST_STATEMENTS))
def test_an_issue_list_by_state_and_type_compiles_no_query(client, ctx, bench, compiled,  # noqa: F811
                                                           query):
    from plue_core.accounts.models import Account
    from plue_issues.models import Issue, Label

    _get(client, bench, f"{REPO}/issues", query)  # warm: compiled once per database
    del compiled[:]
    _get(client, bench, f"{REPO}/issues", query)
    assert not {Issue, Label, Account} & set(compiled), compiled
    # The token with its account, the repository, the count, the page, its labels,
    # assignees and attachments, and the pull requests' state when the page holds one.
    statements = min((statements_for(client, ctx, f"{REPO}/issues", bench["headers"],
                                     query_string=query) for _ in range(2)), key=len)
    assert len(statements) == LIST_STATEMENTS[query], "\n".join(statements)


def test_an_issue_list_filtered_otherwise_is_still_built_per_request(client, ctx, bench,  # noqa: F811
                                                                     compiled):
    """A keyword, a label or a poster: peewee builds the query as before, with the same answer
    as the compiled list where both apply."""
    plain = _get(client, bench, f"{REPO}/issues", "state=all").json
    del compiled[:]
    filtered = _get(client, bench, f"{REPO}/issues", "state=all&created_by=bench")
    from plue_issues.models import Issue
    assert Issue in compiled
    assert filtered.json == plain and filtered.headers["X-Total-Count"] == str(len(plain))


def test_an_issue_get_compiles_no_query(client, ctx, bench, compiled):  # noqa: F811
    _get(client, bench, f"{REPO}/issues/2")
    del compiled[:]
    assert _get(client, bench, f"{REPO}/issues/2").json["number"] == 2
    assert compiled == []


def test_a_run_list_compiles_no_query(client, ctx, bench, compiled):  # noqa: F811
    from plue_actions.models import Run

    _get(client, bench, f"{REPO}/actions/runs")
    del compiled[:]
    body = _get(client, bench, f"{REPO}/actions/runs", "limit=30").json
    assert body["total_count"] == 1 and len(body["workflow_runs"]) == 1
    assert Run not in compiled, compiled
    # A filter builds the query per request, and still answers.
    assert _get(client, bench, f"{REPO}/actions/runs", "event=push").json["total_count"] == 0
    assert Run in compiled
    assert client.simulate_get(f"{REPO}/actions/runs", headers=bench["headers"],
                               query_string="status=nonsense").status_code == 400


def test_a_contents_get_walks_a_files_history_once_per_commit(client, ctx, bench,  # noqa: F811
                                                              monkeypatch):
    from plue_git_hosting import history

    walks = []
    last_commits = history.last_commits
    monkeypatch.setattr(history, "last_commits",
                        lambda *args, **kwargs: walks.append(args[2:]) or last_commits(*args, **kwargs))
    first = _get(client, bench, f"{REPO}/contents/small.txt", "ref=topic").json
    again = _get(client, bench, f"{REPO}/contents/small.txt", "ref=topic").json
    assert again == first and first["last_commit_sha"]
    assert walks == [("", ["small.txt"])]
    # Another commit is another walk: the branch moved.
    result = client.simulate_put(f"{REPO}/contents/small.txt", headers=bench["headers"], json={
        "content": "bmV3Cg==", "sha": first["sha"], "message": "change", "branch": "topic"})
    assert result.status_code == 200, result.text
    moved = _get(client, bench, f"{REPO}/contents/small.txt", "ref=topic").json
    assert moved["last_commit_sha"] == result.json["commit"]["sha"] != first["last_commit_sha"]
    assert len(walks) == 2


def test_a_contents_get_reads_only_the_ref_it_names(client, ctx, bench, monkeypatch):  # noqa: F811
    from dulwich.refs import DiskRefsContainer

    def listing(*_args, **_kwargs):
        raise AssertionError("every ref was listed to resolve one")

    monkeypatch.setattr(DiskRefsContainer, "as_dict", listing)
    assert _get(client, bench, f"{REPO}/contents/small.txt", "ref=topic").json["name"] == "small.txt"
    assert _get(client, bench, f"{REPO}/contents/small.txt",
                "ref=refs/heads/topic").json["name"] == "small.txt"
    # A name git could not have written is no ref, and no file path either.
    for ref in ("../../config", "topic/../../../HEAD", "refs/heads/../../config", "a..b"):
        result = client.simulate_get(f"{REPO}/contents/small.txt", headers=bench["headers"],
                                     query_string=f"ref={ref}")
        assert result.status_code == 404, (ref, result.text)


def test_compiled_ids_select_answers_as_peewee_for_every_length(client, ctx, bench):  # noqa: F811
    """Padded to its bucket by repeating the last id, a list matches each row once; past the
    largest bucket the query is built per call."""
    from plue_issues.models import Issue

    with connection(ctx.db):
        ids = [issue.id for issue in Issue.select()]
        select = CompiledIdsSelect(
            lambda repository_id, wanted: Issue.select().where(
                (Issue.repository == repository_id) & Issue.id.in_(wanted)).order_by(Issue.id), int)
        for wanted in ([], ids[:1], ids, ids + [10**6] * 2, list(range(1, 70)) + ids):
            expected = [] if not wanted else [issue.id for issue in Issue.select().where(
                (Issue.repository == 1) & Issue.id.in_(wanted)).order_by(Issue.id)]
            assert [issue.id for issue in select.rows(1, ids=wanted)] == expected, wanted


def test_a_file_is_read_once_for_its_size_and_content(client, ctx, bench, monkeypatch):  # noqa: F811
    from plue_git_hosting import git_reading

    reads = []
    for name in ("blob_size", "read_blob"):
        original = getattr(git_reading, name)
        monkeypatch.setattr(git_reading, name, lambda *args, _name=name, _original=original, **kw:
                            reads.append(_name) or _original(*args, **kw))
    body = _get(client, bench, f"{REPO}/contents/small.txt", "ref=topic").json
    assert body["size"] == 6 and body["content"] == "c21hbGwK"
    assert reads == ["read_blob"]
    # A directory listing reads its files' sizes only.
    del reads[:]
    listing = _get(client, bench, f"{REPO}/contents", "ref=topic").json
    assert {entry["name"] for entry in listing} >= {"small.txt"}
    assert set(reads) == {"blob_size"}


def test_a_file_over_the_blob_limit_has_its_size_and_no_content(client, ctx, bench,  # noqa: F811
                                                                 monkeypatch):
    monkeypatch.setitem(ctx.services["git_hosting"].settings, "max_blob_size", 5)
    body = _get(client, bench, f"{REPO}/contents/small.txt", "ref=topic").json
    assert body["size"] == 6 and body["content"] is None and body["encoding"] is None
