"""``GET /api/jobs``: hosted jobs (actions jobs of repositories Plue hosts) and external jobs
(delegated for repositories it does not host) in one filtered, sorted page.

One UNION query picks and counts the page's keys (kind, id, created, updated, status name;
sorted by status, the count comes first: it chooses the page's plan, ``_by_status``); then
one query per kind loads the rows and each kind's renderer draws them."""

from __future__ import annotations

import threading
import weakref
from typing import NamedTuple

import peewee

from plue_core.db import CompiledIdsSelect, CompiledSelect
from plue_core.errors import NotFound
from plue_core.pagination import OffsetPage
from plue_runnerhub import external_jobs, jobs
from plue_runnerhub.envelope import number_of, owner_and_name, reject
from plue_runnerhub.models import ExternalJob

# Sorted by status, a caller who sees at most this many hosted jobs has them all read and
# sorted (SQLite: about 20 VM steps a job, 45,000 for 2,000) rather than each status walked
# in id order past the jobs they may not see (about 30 a job walked: 46,000 when they see
# every job, 308,500 to find 100 among 10,100).
FEW = 2_000

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


def _external(query, *, status, repository_key, runner_number):
    if status:
        query = query.where(ExternalJob.status == status)
    if repository_key is not None:
        query = query.where(ExternalJob.repository_key == repository_key)
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


class JobPage(NamedTuple):
    """A page of ``/api/jobs`` (``schemas.JOB_PAGE_SHAPE``)."""

    jobs: list  # (row, renderer): an actions job and a jobs.JobRenderer, or an external job
    page: OffsetPage
    total: int | None  # of every job the query matches (None: not counted)


class _Shape(NamedTuple):
    """What the SQL of a ``/api/jobs`` request depends on: who asks (a hub runner, or a user
    by ``visibility``, git_hosting's ``visibility_shape``, and whether they see every
    external job) and which filters and order they chose — not the values, which are bound.
    Each shape's two statements are compiled once (peewee built the UNION and its visibility
    subqueries on every request: 16,000 Python calls of the request; issue 13)."""

    runner: bool
    visibility: str | None
    all_external: bool
    status: str | None
    repository: bool
    runner_filter: bool
    column: str
    order: str
    few: bool = False  # sorted by status: the hosted jobs are read and sorted all at once

    @property
    def hosted(self) -> bool:
        return not self.runner and self.status != "assigned"  # hosted jobs are never "assigned"

    def parameters(self) -> tuple[str, ...]:
        """The names of the values the shape's statements bind, in order (each used)."""
        names = []
        if self.runner:
            names.append("holder")
        elif not self.all_external or (self.hosted and self.visibility in ("public", "member")):
            names.append("user")
        if self.repository:
            names.append("repository_key")
            if self.hosted:
                names.append("repository_id")
        if self.runner_filter:
            names.append("runner_number")
        return tuple(names)


def _kinds(service, shape: _Shape, values: dict, *, reach=None) -> list:
    """Each kind's query for ``shape`` with ``values`` (placeholders when compiling): a
    (COUNT select, sorted keys) pair per kind, external first."""
    if shape.runner:
        seen = external_jobs.held_by(values["holder"])
    else:
        seen = ExternalJob.select()
        if not shape.all_external:  # external_jobs.visible: what the caller created
            seen = seen.where(ExternalJob.creator_id == values["user"])
    external = _external(seen, status=shape.status, repository_key=values.get("repository_key"),
                         runner_number=values.get("runner_number"))
    kinds = [(external.select(peewee.fn.COUNT(peewee.SQL("*"))),
              _external_sorted(external, shape.column, shape.order))]
    if shape.hosted:
        # A site administrator reading repositories sees every one (git_hosting's
        # ``visible_branches`` filters nothing for "all"): listing them all for the filter
        # cost 40,000 SQLite VM steps on 10,100 repositories, for the count and the page each.
        chosen = {"repository_ids": None if shape.visibility == "all" else
                  service.hosting.visible_ids_of_shape(shape.visibility, values.get("user"))}
        if shape.status:
            chosen["statuses"] = jobs.status_codes(shape.status)
        if shape.repository:
            chosen["repository_id"] = values["repository_id"]
        if shape.runner_filter:
            chosen["runner_id"] = values["runner_number"]
        keys = service.job_keys(kind="hosted", status_names=jobs.HUB_STATUS, **chosen,
                                sort=shape.column, descending=shape.order == "desc",
                                reach=reach, few=shape.few)
        kinds.append((service.job_count(**chosen), keys))
    return kinds


# By actions service (one per app: its statements are built with that app's services), then
# by shape.
_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_COMPILING = threading.Lock()


class _Statements(NamedTuple):
    count: CompiledSelect
    page: CompiledSelect
    counted_page: CompiledSelect  # the page's rows, each with the count as its last column
    counts: CompiledSelect  # one row: each kind's count, external first


def _compiled(service, shape: _Shape) -> _Statements:
    """The shape's count and page statements, compiled on first use; the page's values are
    the shape's parameters, then reach (offset + limit), limit and offset."""
    shapes = _COMPILED.get(service)
    if shapes is None:
        with _COMPILING:
            shapes = _COMPILED.setdefault(service, {})
    found = shapes.get(shape)
    if found is None:
        names = shape.parameters()
        kinds = [int if name != "repository_key" else str for name in names]

        def count(*values):
            return _count([c for c, _ in _kinds(service, shape, dict(zip(names, values)))])

        def counts(*values):
            return peewee.Select(columns=[c for c, _ in _kinds(
                service, shape, dict(zip(names, values)))]).bind(ExternalJob._meta.database) \
                .tuples()

        def page(*values, counted=False):
            reach, limit, offset = values[len(names):]
            kinds_ = _kinds(service, shape, dict(zip(names, values)), reach=reach)
            return _page_keys([ordered for _, ordered in kinds_], reach, limit, offset,
                              shape.column, shape.order,
                              total=count(*values[:len(names)]) if counted else None)

        with _COMPILING:
            found = shapes.setdefault(shape, _Statements(
                CompiledSelect(count, *kinds), CompiledSelect(page, *kinds, int, int, int),
                CompiledSelect(lambda *values: page(*values, counted=True),
                               *kinds, int, int, int),
                CompiledSelect(counts, *kinds)))
    return found


def list_jobs(service, page, *, identity=None, runner=None, status=None, repository=None,
              runner_id=None, sort=None, order=None, counted: bool = True) -> JobPage:
    """The page of jobs for a user (``identity``: hosted and external jobs they may see) or a
    hub runner (``runner``: the external jobs it holds); without ``counted``, ``total`` is
    None (the count is a statement of its own)."""
    sort, order, runner_number = _checked(status, sort, order, runner_id)
    values = {"runner_number": runner_number}
    if repository:
        owner_and_name(repository)
        values["repository_key"] = repository.lower()
    column = {"created_at": "created", "updated_at": "updated", "status": "status"}[sort]
    if runner is not None:
        visibility, values["holder"] = None, runner.id
        all_external = False
    else:
        visibility, values["user"] = service.hosting.visibility_shape(identity)
        all_external = identity.administers_runnerhub
        if values["user"] is None:
            values["user"] = identity.user_id
    shape = _Shape(runner is not None, visibility, all_external, status or None,
                   bool(repository), runner_number is not None, column, order)
    if shape.repository and shape.hosted:
        found = service.hosting.find_repository(*owner_and_name(repository))
        values["repository_id"] = found.id if found else 0
    statements = _compiled(service, shape)
    bound = [values[name] for name in shape.parameters()]
    reach = page.offset + page.limit
    total = None
    if shape.column == "status" and shape.hosted:
        return _by_status(service, shape, statements, bound, page, counted)
    if counted:
        # The count rides on the page's rows (one round trip fewer, issue 13); a page past
        # the end has none to carry it.
        rows = statements.counted_page.rows(*bound, reach, page.limit, page.offset)
        total = rows[0][-1] if rows else statements.count.scalar(*bound) or 0
    else:
        rows = statements.page.rows(*bound, reach, page.limit, page.offset)
    listed = with_renderers(service, [(kind, number) for kind, number, *_ in rows])
    return JobPage(listed, page, total)


def _by_status(service, shape: _Shape, statements: _Statements, bound: list,
               page: OffsetPage, counted: bool) -> JobPage:
    """A page sorted by status, with hosted jobs. No index orders jobs by their status's
    name, so the plan depends on how many the caller sees, counted first (the total, too):
    up to ``FEW``, all of them are read through their repositories and sorted; more, each
    status's jobs are walked in id order (actions ``job_reads._by_status``), which stops
    sooner the more of the site's jobs the caller sees."""
    external, hosted = statements.counts.rows(*bound)[0]
    reach = page.offset + page.limit
    rows = []
    if page.offset < external + hosted:  # past the end: nothing to read
        chosen = _compiled(service, shape._replace(few=hosted <= FEW))
        rows = chosen.page.rows(*bound, reach, page.limit, page.offset)
    listed = with_renderers(service, [(kind, number) for kind, number, *_ in rows])
    return JobPage(listed, page, external + hosted if counted else None)


def _count(counts: list):
    """Each kind counted on its own (``counts``: a COUNT select each), summed in one
    statement: a count over their UNION made the database build the whole union first
    (issue 13: 33 ms on 10,000 jobs)."""
    total = counts[0]
    for count in counts[1:]:  # (a + b): ``+`` between two queries would be peewee's UNION ALL
        total = peewee.Select(columns=[peewee.Expression(total, "+", count)])
    return total.bind(ExternalJob._meta.database).tuples()


def _page_keys(kinds: list, reach, limit, offset, column: str, order: str, total=None):
    """The page's (kind, id, created, updated, status) rows, with ``total`` (a count's
    select) as a last column when given. Each kind comes sorted; it is cut to the rows the
    page can reach (offset + limit) before the two are merged, so a page reads its rows from
    each kind's index in order instead of sorting every job the caller may see
    (``action_run_job (created, id)``, actions migration 0002)."""
    database = ExternalJob._meta.database
    cut = [peewee.Select(from_list=[kind.limit(reach).alias(f"k{number}")],
                         columns=[peewee.SQL("*")]).bind(database)
           for number, kind in enumerate(kinds)]
    query = cut[0]
    for other in cut[1:]:
        query = query.union_all(other)
    if total is not None:  # an uncorrelated subquery: the database counts once
        query = peewee.Select(from_list=[query.alias("merged")],
                              columns=[peewee.SQL("*"), total.alias("total")]).bind(database)
    keys = [peewee.SQL(name) if order == "asc" else peewee.SQL(name).desc()
            for name in (column, "id", "kind")]
    return query.order_by(*keys).limit(limit).offset(offset).tuples()


# A page's external jobs, compiled once per page size.
_EXTERNAL_BY_ID = CompiledIdsSelect(
    lambda ids: ExternalJob.select().where(ExternalJob.id.in_(ids)))


def with_renderers(service, keys: list[tuple[str, int]]) -> list[tuple]:
    """The page's rows in ``keys``' order, each beside the renderer of its kind."""
    hosted_ids = [number for kind, number in keys if kind == "hosted"]
    external_ids = [number for kind, number in keys if kind == "external"]
    hosted = {job.id: job for job in service.jobs_with_runs(hosted_ids)} if hosted_ids else {}
    external = {job.id: job for job in _EXTERNAL_BY_ID.rows(ids=external_ids)}
    hosted_renderer = jobs.JobRenderer(service, list(hosted.values()))
    external_renderer = external_jobs.ExternalJobRenderer(list(external.values()))
    return [(hosted[number], hosted_renderer) if kind == "hosted"
            else (external[number], external_renderer) for kind, number in keys]
