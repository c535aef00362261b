"""A page of a repository's runs costs what the page costs, not what the repository holds
(issue 13 item 3): as many statements on 400 more runs, and on SQLite the page walks an index
in its order (newest first) and stops after its rows, never counting or sorting the whole
list with it. A window count read with the page (``COUNT(*) OVER ()``) did: the run list on
10,000 runs was 19.6x the list on 100."""

from __future__ import annotations

import pytest

from plue_core.db import connection, is_sqlite
from plue_core.testing import query_plan, recorded_statements

from plue_actions.models import Run
from plue_actions.testing import ONE_JOB


RUNS = "/repos/alice/demo/actions/runs"
WORKFLOW_RUNS = "/repos/alice/demo/actions/workflows/ci.yml/runs"  # ActionsListWorkflowRuns
QUERIES = [(RUNS, query) for query in (
    "limit=30", "limit=30&page=2", "limit=30&event=push", "limit=30&status=queued",
    "limit=5&page=1000")] + [(WORKFLOW_RUNS, "limit=30"), (WORKFLOW_RUNS, "limit=5&page=1000")]


def _statements(forge, query: str, path: str = RUNS) -> list[tuple[str, tuple]]:
    with recorded_statements(forge.ctx.db, with_params=True,
                             without_token_touches=True) as statements:
        response = forge.api("GET", path, query_string=query)
    assert response.status_code == 200, response.text
    return statements


def _grow(forge, count: int) -> None:
    """``count`` more runs of ``alice/demo``, copies of its first."""
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        first = Run.select().order_by(Run.id).first().__data__
        last = Run.select().order_by(Run.number.desc()).first().number
        rows = [{**{key: value for key, value in first.items() if key != "id"},
                 "number": last + n} for n in range(1, count + 1)]
        for start in range(0, count, 200):
            Run.insert_many(rows[start:start + 200]).execute()


@pytest.mark.parametrize("path, query", QUERIES)
def test_a_run_page_costs_the_same_statements_and_reads_an_index_in_order(actions_forge, path,
                                                                          query):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB, "first")
    _grow(actions_forge, 60)
    small = _statements(actions_forge, query, path)
    _grow(actions_forge, 400)
    large = _statements(actions_forge, query, path)
    assert len(small) == len(large), [sql[:100] for sql, _ in large]
    run_reads = [(sql, params) for sql, params in large if 'FROM "action_run" AS "t1"' in sql]
    page = [read for read in run_reads if "ORDER BY" in read[0]]
    assert len(page) == 1, run_reads
    assert " OVER " not in page[0][0], page  # no count of the whole list in the page's read
    if not is_sqlite(actions_forge.ctx.db):
        return  # the plans below are SQLite's
    plan = query_plan(actions_forge.ctx.db, *page[0])
    assert not [line for line in plan if "TEMP B-TREE" in line], plan  # no sort of the list


def test_the_total_is_counted_only_when_the_page_cannot_tell_it(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB, "first")
    _grow(actions_forge, 44)  # 45 runs
    counted = {query: [sql for sql, _ in _statements(actions_forge, query)
                       if sql.startswith("SELECT COUNT(")]
               for query in ("limit=30", "limit=30&page=2", "limit=30&page=3", "limit=50")}
    assert {query: len(sql) for query, sql in counted.items()} == {
        "limit=30": 1,           # a full page: more may follow
        "limit=30&page=2": 0,    # 15 of 30: the last page, 30 before it
        "limit=30&page=3": 1,    # past the end: nothing on the page to count from
        "limit=50": 0}           # everything on one page
    for query, total in (("limit=30", 45), ("limit=30&page=2", 45), ("limit=30&page=3", 45),
                         ("limit=50", 45), ("limit=30&page=2&event=push", 45)):
        response = actions_forge.api("GET", RUNS, query_string=query)
        assert response.json["total_count"] == total, query
        assert response.headers["x-total-count"] == str(total), query


def test_one_workflows_runs_among_10000_others_enter_through_its_index(actions_forge):
    """ActionsListWorkflowRuns: ci.yml has 5 runs among 10,000 of other.yml; its page and its
    count read them through ``(repository_id, workflow_id, id)``, never the repository's
    other runs, and need no sort."""
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB, "first")
    _grow(actions_forge, 4)
    with connection(actions_forge.ctx.db), actions_forge.ctx.db.atomic():
        first = Run.select().order_by(Run.id).first().__data__
        rows = [{**{key: value for key, value in first.items() if key != "id"},
                 "number": 100 + n, "workflow_id": "other.yml"} for n in range(10_000)]
        for start in range(0, len(rows), 500):
            Run.insert_many(rows[start:start + 500]).execute()
    statements = _statements(actions_forge, "limit=3", WORKFLOW_RUNS)
    listed = actions_forge.api("GET", WORKFLOW_RUNS, query_string="limit=3").json
    assert listed["total_count"] == 5 and len(listed["workflow_runs"]) == 3
    if not is_sqlite(actions_forge.ctx.db):
        return  # the plans below are SQLite's
    reads = [read for read in statements if 'FROM "action_run" AS "t1"' in read[0]]
    assert len(reads) == 3, reads  # whether it has runs, the page, the count
    for read in reads:
        plan = query_plan(actions_forge.ctx.db, *read)
        assert any("action_run_repository_id_workflow_id_id" in line for line in plan), plan
        assert not [line for line in plan if "TEMP B-TREE" in line], plan
