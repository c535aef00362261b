"""``GET /api/jobs``: hosted jobs (actions jobs of repositories Plue hosts) and external jobs
(delegated for repositories it does not host) in one filtered, sorted page.

One UNION query picks and counts the page's keys (kind, id, created, updated, status name);
then one query per kind loads the rows and each kind's renderer draws them."""

from __future__ import annotations

from typing import NamedTuple

import peewee

from plue_core.errors import NotFound
from plue_core.pagination import OffsetPage
from plue_runnerhub import external_jobs, jobs
from plue_runnerhub.envelope import number_of, owner_and_name, reject
from plue_runnerhub.models import ExternalJob

STATUSES = ("pending", "assigned", "running", "completed", "failed")


def _checked(status, sort, order, runner_id) -> tuple[str, str, int | None]:
    if status and status not in STATUSES:
        raise reject("status", status, "one of " + ", ".join(STATUSES))
    sort, order = sort or "created_at", (order or "desc").lower()
    if sort not in jobs.SORT_FIELDS:
        raise reject("sort", sort, "one of " + ", ".join(jobs.SORT_FIELDS))
    if order not in ("asc", "desc"):
        raise reject("order", order, "asc or desc")
    number = None
    if runner_id:
        try:
            number = number_of("runner", runner_id, "runner")
        except NotFound:
            raise reject("runner_id", runner_id, "a runner id such as runner_1") from None
    return sort, order, number


def _external(query, *, status, repository, runner_number):
    if status:
        query = query.where(ExternalJob.status == status)
    if repository:
        query = query.where(ExternalJob.repository_key == repository.lower())
    if runner_number is not None:
        query = query.where(ExternalJob.runner_id == runner_number)
    return query.select(peewee.Value("external").alias("kind"), ExternalJob.id.alias("id"),
                        ExternalJob.created.alias("created"),
                        ExternalJob.updated.alias("updated"),
                        ExternalJob.status.alias("status"))


def _sorted(query, column: str, order: str):
    """By ``column`` (a key column's name) then id, in SQL over the key columns' names."""
    return query.order_by(*(peewee.SQL(name) if order == "asc" else peewee.SQL(name).desc()
                            for name in (column, "id")))


def _external_sorted(query, column: str, order: str):
    fields = {"created": (ExternalJob.created, ExternalJob.id),
              "updated": (ExternalJob.updated, ExternalJob.id)}.get(column)
    if fields is None:
        return _sorted(query, column, order)
    return query.order_by(*(fields if order == "asc" else [f.desc() for f in fields]))


def _hosted(service, identity, column: str, order: str, reach: int, *, status, repository,
            runner_id):
    """The hosted jobs' count (a select) and keys sorted by ``column`` (from the
    ``(created, id)``/``(updated, id)``/``(status, id)`` index), ``reach`` (offset + limit)
    being as far as a page can go."""
    chosen = jobs.filters(service, identity, status=status, repository=repository,
                          runner_id=runner_id)
    keys = service.job_keys(kind="hosted", status_names=jobs.HUB_STATUS, **chosen, sort=column,
                            descending=order == "desc", reach=reach)
    return service.job_count(**chosen), keys


class JobPage(NamedTuple):
    """A page of ``/api/jobs`` (``schemas.JOB_PAGE_SHAPE``)."""

    jobs: list  # (row, renderer): an actions job and a jobs.JobRenderer, or an external job
    page: OffsetPage
    total: int | None  # of every job the query matches (None: not counted)


def list_jobs(service, page, *, identity=None, runner=None, status=None, repository=None,
              runner_id=None, sort=None, order=None, counted: bool = True) -> JobPage:
    """The page of jobs for a user (``identity``: hosted and external jobs they may see) or a
    hub runner (``runner``: the external jobs it holds); without ``counted``, ``total`` is
    None (the count is a statement of its own)."""
    sort, order, runner_number = _checked(status, sort, order, runner_id)
    if repository:
        owner_and_name(repository)
    column = {"created_at": "created", "updated_at": "updated", "status": "status"}[sort]
    seen = external_jobs.held_by(runner.id) if runner is not None \
        else external_jobs.visible(identity)
    external = _external(seen, status=status, repository=repository, runner_number=runner_number)
    kinds = [(external.select(peewee.fn.COUNT(peewee.SQL("*"))),
              _external_sorted(external, column, order))]
    if runner is None and status != "assigned":  # hosted jobs are never "assigned"
        kinds.append(_hosted(service, identity, column, order, page.offset + page.limit,
                             status=status, repository=repository, runner_id=runner_id))
    rows = _page_keys([ordered for _, ordered in kinds], page, column, order)
    jobs = with_renderers(service, [(kind, number) for kind, number, *_ in rows])
    return JobPage(jobs, page, _count([count for count, _ in kinds]) if counted else None)


def _count(counts: list) -> int:
    """Each kind counted on its own (``counts``: a COUNT select each), summed in one
    statement: a count over their UNION made the database build the whole union first
    (issue 13: 33 ms on 10,000 jobs)."""
    total = counts[0]
    for count in counts[1:]:  # (a + b): ``+`` between two queries would be peewee's UNION ALL
        total = peewee.Select(columns=[peewee.Expression(total, "+", count)])
    return total.bind(ExternalJob._meta.database).scalar() or 0


def _page_keys(kinds: list, page, column: str, order: str) -> list[tuple]:
    """The page's (kind, id, created, updated, status) rows. Each kind comes sorted; it is cut
    to the rows the page can reach (offset + limit) before the two are merged, so a page reads
    its rows from each kind's index in order instead of sorting every job the caller may see
    (``action_run_job (created, id)``, actions migration 0002)."""
    reach = page.offset + page.limit
    cut = [peewee.Select(from_list=[kind.limit(reach).alias(f"k{number}")],
                         columns=[peewee.SQL("*")]).bind(ExternalJob._meta.database)
           for number, kind in enumerate(kinds)]
    query = cut[0]
    for other in cut[1:]:
        query = query.union_all(other)
    keys = [peewee.SQL(name) if order == "asc" else peewee.SQL(name).desc()
            for name in (column, "id", "kind")]
    return list(page.apply(query.order_by(*keys)).tuples())


def with_renderers(service, keys: list[tuple[str, int]]) -> list[tuple]:
    """The page's rows in ``keys``' order, each beside the renderer of its kind."""
    hosted_ids = [number for kind, number in keys if kind == "hosted"]
    external_ids = [number for kind, number in keys if kind == "external"]
    hosted = {job.id: job for job in service.jobs_with_runs(hosted_ids)} if hosted_ids else {}
    external = {job.id: job for job in ExternalJob.select()
                .where(ExternalJob.id.in_(external_ids))} if external_ids else {}
    hosted_renderer = jobs.JobRenderer(service, list(hosted.values()))
    external_renderer = external_jobs.ExternalJobRenderer(list(external.values()))
    return [(hosted[number], hosted_renderer) if kind == "hosted"
            else (external[number], external_renderer) for kind, number in keys]
