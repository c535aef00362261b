"""An issue list that holds pull requests costs the same statements for one pull request as for
a page of them (issue 13): their ``pull_request`` part never loads its repository per row."""

from __future__ import annotations

from plue_core.db import connection
from tests.core.test_hot_path_query_counts import bench, statements_for  # noqa: F401 (fixture)


def more_pulls(ctx, count: int) -> None:
    """``count`` copies of the bench repository's pull request (its issue row and its pull row)."""
    models = {table: model for table, (_, model) in ctx.models.items()}
    issue, pull = models["issue"], models["pull_request"]
    with connection(ctx.db), ctx.db.atomic():
        first = pull.select().order_by(pull.id).first()
        pull_row = {k: v for k, v in first.__data__.items() if k != "id"}
        issue_row = {k: v for k, v in issue.get_by_id(first.issue_id).__data__.items() if k != "id"}
        top = issue.select(issue.number).order_by(issue.number.desc()).scalar()
        for n in range(1, count + 1):
            new_issue = issue.insert({**issue_row, "number": top + n, "title": f"pull {n}"}).execute()
            pull.insert({**pull_row, "issue_key": new_issue}).execute()


def test_an_issue_list_of_pull_requests_costs_the_same_statements_for_1_and_for_20(
        client, ctx, bench):  # noqa: F811
    path, query = "/api/v1/repos/bench/bench/issues", "limit=30&state=all&type=pulls"
    statements_for(client, ctx, path, bench["headers"], query_string=query)  # warm
    one = statements_for(client, ctx, path, bench["headers"], query_string=query, page=1)
    more_pulls(ctx, 19)
    twenty = statements_for(client, ctx, path, bench["headers"], query_string=query, page=20)
    assert len(twenty) == len(one), "\n".join(sql[:120] for sql in twenty)
