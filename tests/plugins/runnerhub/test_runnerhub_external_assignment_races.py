"""Hand-outs that race: two delegations meeting at one runner's last free slot, two runners
reaching for one job. Each side runs in its own transaction, the first held open while the
second starts, as two gunicorn threads interleave on PostgreSQL (READ COMMITTED); run these
with tools/with-postgres.sh too."""

from plue_core.db import connection, utcnow
from plue_runnerhub import external_assignment
from plue_actions.models import Runner
from plue_runnerhub.models import ExternalJob
from plue_core.testing import interleave_transactions as _interleave
from plue_runnerhub.testing import delegate, register


def _online(forge, *uuids) -> list[Runner]:
    """Mark registered runners online without the call that would hand them work."""
    with connection(forge.ctx.db):
        Runner.update(last_online=utcnow()).where(Runner.uuid.in_(uuids)).execute()
        return [Runner.get(Runner.uuid == uuid) for uuid in uuids]


def _job(forge, delegated: dict) -> ExternalJob:
    with connection(forge.ctx.db):
        return ExternalJob.get_by_id(int(delegated["job_id"].rsplit("_", 1)[1]))


def test_two_hand_outs_never_fill_a_runners_last_slot_twice(forge):
    first, second = _job(forge, delegate(forge)), _job(forge, delegate(forge, job_id="2"))
    registered, _ = register(forge, slots=1)  # registered after: both jobs are pending
    (runner,) = _online(forge, registered["uuid"])
    service = forge.ctx.services["actions"]
    outcomes = []
    _interleave(forge.ctx.db,
                lambda: outcomes.append(external_assignment._take(service, first, runner, 1)),
                lambda: outcomes.append(external_assignment._take(service, second, runner, 1)))
    assert outcomes == ["assigned", "full"]
    with connection(forge.ctx.db):
        assert external_assignment.load(service, runner.id) == 1
        assert ExternalJob.get_by_id(second.id).status == "pending"


def test_two_runners_never_take_the_same_job(forge):
    job = _job(forge, delegate(forge))
    one, _ = register(forge, "one")
    two, _ = register(forge, "two")
    first, second = _online(forge, one["uuid"], two["uuid"])
    service = forge.ctx.services["actions"]
    outcomes = []
    _interleave(forge.ctx.db,
                lambda: outcomes.append(external_assignment._take(service, job, first, 1)),
                lambda: outcomes.append(external_assignment._take(service, job, second, 1)))
    assert outcomes == ["assigned", "gone"]
    with connection(forge.ctx.db):
        assert ExternalJob.get_by_id(job.id).runner_id == first.id


def test_many_delegations_at_once_respect_every_runners_capacity(forge):
    import concurrent.futures

    runners = [register(forge, f"hub-{n}", slots=2) for n in range(2)]
    _online(forge, *(runner["uuid"] for runner, _ in runners))
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda n: delegate(forge, job_id=str(n)), range(8)))
    assert sorted(answer["status"] for answer in answers) == ["assigned"] * 4 + ["queued"] * 4
    with connection(forge.ctx.db):
        for runner, _ in runners:
            held = Runner.get(Runner.uuid == runner["uuid"])
            assert external_assignment.load(forge.ctx.services["actions"], held.id) == 2
