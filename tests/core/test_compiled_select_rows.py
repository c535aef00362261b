"""A ``CompiledSelect`` turns a joined row into models as peewee does, without peewee's
setattr per column after the first call (``plue_core.db._joined_row``): the same data, the
same related instances, nothing marked dirty, a missing outer-joined row as None."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect, connection
from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (a fixture)


def _state(instance, depth: int = 0):
    """What a model row holds: its data, its related instances (recursively), dirty fields."""
    if instance is None:
        return None
    related = {name: _state(value, depth + 1) if depth < 2 else repr(value)
               for name, value in getattr(instance, "__rel__", {}).items()}
    extra = {key: value for key, value in vars(instance).items()
             if key not in ("__data__", "__rel__", "_dirty")}
    return (type(instance).__name__, dict(instance.__data__), related, set(instance._dirty),
            extra)


def test_joined_rows_are_the_models_peewee_makes(client, ctx, bench):  # noqa: F811
    from plue_issues.models import Issue, Milestone, Repository

    def issues_with_posters(repository_id):
        return (Issue.select(Issue, Account, Repository, Milestone)
                .join(Account, on=(Issue.poster == Account.id))
                .switch(Issue).join(Repository, on=(Issue.repository == Repository.id))
                .switch(Issue).join(Milestone, peewee.JOIN.LEFT_OUTER,
                                    on=(Issue.milestone == Milestone.id))
                .where(Issue.repository == repository_id).order_by(Issue.id))

    compiled = CompiledSelect(issues_with_posters, int)
    result = client.simulate_post("/api/v1/repos/bench/bench/milestones", headers=bench["headers"],
                                  json={"title": "v1"})
    assert result.status_code == 201, result.text
    result = client.simulate_patch("/api/v1/repos/bench/bench/issues/2", headers=bench["headers"],
                                   json={"milestone": result.json["id"]})
    assert result.status_code == 201, result.text
    with connection(ctx.db):
        expected = [_state(issue) for issue in issues_with_posters(1)]
        first = [_state(issue) for issue in compiled.rows(1)]  # peewee's own process_row
        again = [_state(issue) for issue in compiled.rows(1)]  # the compiled row mapping
        rows = compiled.rows(1)
    assert len(expected) == 2
    assert all("_plue_columns" in state for state in compiled._row_mapping.values())
    assert first == expected and again == expected
    assert rows[0].repository.name == "bench" and rows[1].poster.name == "bench"
    # The pull request (number 1) has no milestone: the outer join gives None.
    assert rows[0].__rel__["milestone"] is None and rows[1].milestone.title == "v1"
    assert not rows[1]._dirty and not rows[1].poster._dirty


def test_a_joined_row_tests_each_model_once_and_falls_back_without_its_key(
        client, ctx, bench):  # noqa: F811
    """Whether a row holds a joined model is asked of its primary key alone when the key is
    selected with nothing but the model's fields (peewee asks every column); a model selected
    without its key, or with an expression bound to it, is asked of all its columns — and
    both give peewee's models, an outer-joined row missing or present."""
    from plue_issues.models import Issue, Milestone

    def with_milestone(repository_id):
        return (Issue.select(Issue, Milestone).join(Milestone, peewee.JOIN.LEFT_OUTER,
                                                    on=(Issue.milestone == Milestone.id))
                .where(Issue.repository == repository_id).order_by(Issue.id))

    def with_milestone_title(repository_id):
        return (Issue.select(Issue.id, Issue.title, Milestone.title,
                             peewee.fn.LOWER(Milestone.title).alias("lowered")
                             .bind_to(Milestone))
                .join(Milestone, peewee.JOIN.LEFT_OUTER, on=(Issue.milestone == Milestone.id))
                .where(Issue.repository == repository_id).order_by(Issue.id))

    made = client.simulate_post("/api/v1/repos/bench/bench/milestones", headers=bench["headers"],
                                json={"title": "V1"})
    assert made.status_code == 201, made.text
    assert client.simulate_patch("/api/v1/repos/bench/bench/issues/2", headers=bench["headers"],
                                 json={"milestone": made.json["id"]}).status_code == 201
    for build in (with_milestone, with_milestone_title):
        compiled = CompiledSelect(build, int)
        with connection(ctx.db):
            expected = [_state(issue) for issue in build(1)]
            compiled.rows(1)  # peewee's own process_row; the row mapping is kept
            again = [_state(issue) for issue in compiled.rows(1)]
            rows = compiled.rows(1)
        assert again == expected and len(expected) == 2
        assert rows[0].__rel__["milestone"] is None
        assert rows[1].milestone.title == "V1"
        (presence,) = [state["_plue_presence"] for state in compiled._row_mapping.values()]
        by_key = dict(presence)
        if build is with_milestone:
            # each model asked once, of its key's position
            assert isinstance(by_key[Issue], int) and isinstance(by_key[Milestone], int)
        else:
            # no key of the milestone selected, an expression bound to it: every column
            assert by_key[Milestone] == (2, 3) and rows[1].milestone.lowered == "v1"
