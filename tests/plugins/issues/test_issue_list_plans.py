"""A page of a repository's issues costs what the page costs, not what the repository holds
(issue 13 item 3): as many statements on 400 more issues, and on SQLite each read enters
through an index: the page walks ``issue`` in its order (newest first) without sorting the
repository, and its total and its milestones' counts are counted from an index alone, never
by reading the issues."""

from __future__ import annotations

import datetime

import pytest

from plue_core.db import connection, is_sqlite
from plue_core.testing import query_plan, recorded_statements
from plue_issues.models import Issue

QUERIES = ("limit=30", "state=all&limit=30", "state=closed&limit=30",
           "type=issues&limit=30", "state=all&type=issues&limit=30&page=2")


def _statements(tracker, query: str) -> list[tuple[str, tuple]]:
    with recorded_statements(tracker.ctx.db, with_params=True,
                             without_token_touches=True) as statements:
        response = tracker.client.simulate_get("/api/v1/repos/alice/tracker/issues",
                                               query_string=query)
    assert response.status_code == 200, response.text
    return statements


def _grow(tracker, count: int) -> None:
    """``count`` more issues of ``alice/tracker``, every third closed, copies of its first."""
    with connection(tracker.ctx.db), tracker.ctx.db.atomic():
        first = Issue.select().order_by(Issue.id).first().__data__
        last = Issue.select().order_by(Issue.number.desc()).first().number
        rows = [{**{key: value for key, value in first.items() if key != "id"},
                 "number": last + n, "is_closed": n % 3 == 0,
                 "created_at": first["created_at"] + datetime.timedelta(seconds=n)}
                for n in range(1, count + 1)]
        for start in range(0, count, 200):
            Issue.insert_many(rows[start:start + 200]).execute()


@pytest.mark.parametrize("query", QUERIES)
def test_an_issue_page_costs_the_same_statements_and_reads_indexes_in_order(tracker, query):
    milestone = tracker.milestone(title="v1")["id"]
    bug = tracker.label(name="bug")["id"]
    for number in range(3):
        tracker.issue(title=f"issue {number}", labels=[bug], milestone=milestone,
                      assignees=["wanda"])
    _grow(tracker, 60)
    small = _statements(tracker, query)
    _grow(tracker, 400)
    large = _statements(tracker, query)
    assert len(small) == len(large), [sql[:100] for sql, _ in large]
    if not is_sqlite(tracker.ctx.db):
        return  # the plans below are SQLite's
    issue_reads = [(sql, params) for sql, params in large if 'FROM "issue" AS "t1"' in sql]
    page = [read for read in issue_reads if "ORDER BY" in read[0]]
    # The page's total, and its milestone's open and closed issues (every copy is in it).
    counts = [read for read in issue_reads if "COUNT(" in read[0]]
    assert len(page) == 1 and len(counts) == 2, issue_reads
    plan = query_plan(tracker.ctx.db, *page[0])
    assert not [line for line in plan if line.startswith("SCAN t1")], plan
    assert not [line for line in plan if "TEMP B-TREE" in line], plan  # no sort of the table
    for count in counts:  # from an index alone, no issue row read
        plan = query_plan(tracker.ctx.db, *count)
        assert [line for line in plan if line.startswith("SEARCH t1 USING COVERING INDEX")], plan
