"""The reads of jobs, tasks and runners that other plugins' views make (RunnerHub's jobs,
queues, delegations and reports), each one statement, behind ``ActionsService`` methods: so
those plugins name no actions table. ``repository_ids`` is a subquery (git_hosting's
``visible_repository_ids``) or a list; the statement stays one either way. None is every
repository's jobs (a site administrator's): no job outlives its repository (``cleanup``
deletes them in the deleting transaction), so no list of the repositories is built."""

from __future__ import annotations

import peewee

from plue_core.db import CompiledIdsSelect
from plue_workflows.statuses import Status
from plue_actions.models import Job, Run, Runner, Task, TaskStep


def _visible(repository_ids):
    """Jobs (with their run) of ``repository_ids`` (None: of every repository)."""
    query = Job.select(Job, Run).join(Run)
    if repository_ids is None:
        return query
    # Unary plus: the visible repositories are a filter, not the way in. Without it SQLite
    # reads every visible job through the repository index and sorts them all for a page;
    # with it a page walks the (created, id) index newest first and stops after the page.
    repository = peewee.NodeList((peewee.SQL("+"), Job.repository_id), glue="")
    return query.where(repository.in_(repository_ids))


def _of(repository_ids, query):
    """``query`` (of jobs) narrowed to ``repository_ids`` through their index, unless None."""
    return query if repository_ids is None else query.where(
        Job.repository_id.in_(repository_ids))


def _filtered(repository_ids, statuses=None, repository_id=None, runner_id=None, query=None):
    query = _visible(repository_ids) if query is None else query
    if statuses is not None:
        query = query.where(Job.status.in_([int(status) for status in statuses]))
    if repository_id is not None:
        query = query.where(Job.repository_id == repository_id)
    if runner_id is not None:
        query = query.where(Job.task_id.in_(Task.select(Task.id)
                                            .where(Task.runner_id == runner_id)))
    return query


def job_keys(repository_ids, *, kind: str, status_names: dict, statuses=None,
             repository_id=None, runner_id=None, sort: str | None = None,
             descending: bool = True, reach: int | None = None, few: bool = False):
    """A select (not run) of ``(kind, id, created, updated, status)`` over the jobs of
    ``repository_ids`` — ``kind`` a constant, ``status`` the job's code named through
    ``status_names`` — narrowed to ``statuses``, one repository and the tasks of one runner
    when given. With ``sort`` ("created" or "updated") it is ordered by that and the id, so
    a cut page reads ``action_run_job (created, id)``/``(updated, id)`` in order; "status"
    orders by the status's name and the id, taking at most ``reach`` rows of each status
    (see :func:`_by_status`) — or, when the caller knows the jobs of ``repository_ids`` are
    ``few``, reading them all from ``action_run_job (repository_id)`` and sorting them,
    which costs what they are rather than what the site holds. The caller unions or counts
    it with its own rows in one statement (RunnerHub's ``/api/jobs``)."""
    if sort == "status" and few:
        return _few_by_status(repository_ids, statuses, repository_id, runner_id, kind,
                              status_names, descending)
    if sort == "status" and isinstance(repository_ids, peewee.SelectBase):
        # Each status's branch checks its jobs one by one (EXISTS, the repository by its
        # key) rather than each building the list of every visible repository, and the
        # check is compiled once for all branches. The branch reads no run (every job has
        # one), so the unqualified ``repository_id`` below can only be the job's: neither
        # ``repository`` nor ``account`` has such a column.
        column = repository_ids.selected_columns[0]
        sql, params = repository_ids.where(column == peewee.SQL('"repository_id"')).sql()
        query = _filtered(None, statuses, repository_id, runner_id,
                          query=Job.select().where(peewee.SQL(f"EXISTS ({sql})", params)))
    else:
        query = _filtered(repository_ids, statuses, repository_id, runner_id)

    def keys(filtered, status_name):
        return filtered.select(peewee.Value(kind).alias("kind"), Job.id.alias("id"),
                               Job.created.alias("created"), Job.updated.alias("updated"),
                               status_name.alias("status"))

    if sort == "status":
        return _by_status(query, keys, status_names, statuses, descending, reach)
    query = keys(query, peewee.Case(
        Job.status, [(int(code), label) for code, label in status_names.items()], ""))
    if sort is not None:
        field = {"created": Job.created, "updated": Job.updated}[sort]
        query = query.order_by(*((field.desc(), Job.id.desc()) if descending
                                 else (field, Job.id)))
    return query


def _by_status(filtered, keys, status_names: dict, statuses, descending: bool, reach: int):
    """The ``keys`` of ``filtered`` ordered by the status's name, then the id: no index orders
    a name computed from the code, so each status code's jobs are read from
    ``action_run_job (status, id)`` (actions migration 0003) in id order, at most ``reach``
    of each, their name a constant, and only those are merged and sorted — not every job the
    caller may see (issue 13). Each job walked is checked against the visible repositories
    on its own, so a caller who may see few of very many jobs walks further: for such a
    caller the list asks for ``few`` instead (:func:`_few_by_status`)."""
    codes = sorted(int(code) for code in (statuses if statuses is not None else Status))
    cuts = []
    for code in codes:
        rows = keys(filtered.where(Job.status == code),
                    peewee.Value(status_names.get(Status(code), ""))).order_by(
            Job.id.desc() if descending else Job.id).limit(reach)
        cuts.append(peewee.Select(from_list=[rows.alias(f"s{code}")],
                                  columns=[peewee.SQL("*")]))
    merged = cuts[0]
    for cut in cuts[1:]:
        merged = merged.union_all(cut)
    return peewee.Select(from_list=[merged.alias("by_status")], columns=[peewee.SQL("*")]) \
        .order_by(*(peewee.SQL(column).desc() if descending else peewee.SQL(column)
                    for column in ("status", "id")))


def _few_by_status(repository_ids, statuses, repository_id, runner_id, kind: str,
                   status_names: dict, descending: bool):
    """Every job of ``repository_ids`` (the way in: their index, the run not read) with its
    status's name, sorted by that name and the id."""
    query = _filtered(None, statuses, repository_id, runner_id,
                      query=_of(repository_ids, Job.select()))
    name = peewee.Case(Job.status, [(int(code), label) for code, label in status_names.items()],
                       "")
    return query.select(peewee.Value(kind).alias("kind"), Job.id.alias("id"),
                        Job.created.alias("created"), Job.updated.alias("updated"),
                        name.alias("status")).order_by(
        *((name.desc(), Job.id.desc()) if descending else (name, Job.id)))


def job_count(repository_ids, *, statuses=None, repository_id=None, runner_id=None):
    """A select (not run) of how many jobs :func:`job_keys` lists for the same filters. It
    counts from ``action_run_job (repository_id)``, the visible repositories being the way in
    here, and without the run join (every job has its run): a count through the page's
    query read every job and its run (issue 13: 24 ms on 10,000 jobs)."""
    query = _of(repository_ids, Job.select(peewee.fn.COUNT(peewee.SQL("*"))))
    return _filtered(repository_ids, statuses, repository_id, runner_id, query=query)


# A page of RunnerHub's ``/api/jobs``: compiled once per page size (peewee compiled the
# joined select on each request, a fifth of the request; issue 13).
_JOBS_WITH_RUNS = CompiledIdsSelect(
    lambda job_ids: Job.select(Job, Run).join(Run).where(Job.id.in_(job_ids)))


def jobs_with_runs(job_ids) -> list:
    """The jobs ``job_ids`` (any order), each with its ``run`` loaded."""
    return _JOBS_WITH_RUNS.rows(ids=list(dict.fromkeys(job_ids)))


def job_with_run(job_id: int, repository_ids=None):
    """Job ``job_id`` with its run, when it exists (and is of ``repository_ids``)."""
    query = _visible(repository_ids) if repository_ids is not None \
        else Job.select(Job, Run).join(Run)
    return query.where(Job.id == job_id).first()


def job_counts(repository_ids) -> list[tuple]:
    """``(runs_on, status, count)`` of the jobs of ``repository_ids``."""
    return list(_visible(repository_ids)
                .select(Job.runs_on, Job.status, peewee.fn.COUNT(Job.id).alias("n"))
                .group_by(Job.runs_on, Job.status).order_by().tuples())


def stopped_job_counts(repository_ids, statuses, until, after=None) -> list[tuple]:
    """``(runs_on, count)`` of the jobs of ``repository_ids`` in ``statuses`` that stopped
    at or before ``until`` (and after ``after``)."""
    query = _visible(repository_ids).where(
        Job.status.in_([int(status) for status in statuses]) & (Job.stopped <= until))
    if after is not None:
        query = query.where(Job.stopped > after)
    return list(query.select(Job.runs_on, peewee.fn.COUNT(Job.id)).group_by(Job.runs_on)
                .order_by().tuples())


def waiting_job_scopes() -> list[tuple]:
    """Distinct ``(runs_on, owner_id, repository_id)`` of the jobs waiting for a runner."""
    return list(Job.select(Job.runs_on, Job.owner_id, Job.repository_id)
                .where((Job.status == int(Status.WAITING)) & Job.task_id.is_null())
                .distinct().tuples())


def first_job_of_run(run_id: int, job_key: str):
    """The first job (of a matrix, the lowest id) of run ``run_id`` under ``jobs.<key>``."""
    return (Job.select().where((Job.run == run_id) & (Job.job_id == job_key))
            .order_by(Job.id).first())


def task_runner_ids(task_ids) -> dict[int, int]:
    """``{task_id: runner_id}`` of ``task_ids``."""
    return {row.id: row.runner_id for row in
            Task.select(Task.id, Task.runner_id).where(Task.id.in_(list(task_ids)))}


def task_steps(task_id: int) -> list:
    """The steps of task ``task_id`` in order (names, statuses, log ranges)."""
    return list(TaskStep.select().where(TaskStep.task == task_id).order_by(TaskStep.index))


def running_task_count(runner_id: int) -> int:
    """How many tasks runner ``runner_id`` is running."""
    return Task.select().where((Task.runner_id == runner_id)
                               & (Task.status == int(Status.RUNNING))).count()


def enabled_owner_runners(runner_ids) -> list:
    """The enabled runners among ``runner_ids`` registered for an owner or the instance (not
    for one repository), in id order."""
    enabled = Runner.disabled == False  # noqa: E712  (peewee builds SQL from ==)
    return list(Runner.select().where(Runner.id.in_(list(runner_ids)) & enabled
                                      & (Runner.repository_id == 0)).order_by(Runner.id))
