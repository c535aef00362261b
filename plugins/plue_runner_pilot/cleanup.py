"""An organization is being deleted (its deletion was purged past the blockers): stop what it
still runs, as far as the engines answer, and drop its runners."""

from __future__ import annotations

import logging

from plue_core.errors import PlueError

from plue_runner_pilot.instances import delete_instance, with_node
from plue_runner_pilot.models import Runner, RunnerInstance

log = logging.getLogger("plue.runners")


def forget_org(service, org_id: int) -> None:
    for instance in service.instances_of_org(org_id):
        try:
            delete_instance(service, with_node(service, instance))
        except PlueError as exc:  # a dead node must not block the deletion: say what is left
            log.warning("organization %s deleted, but instance container %s stays: %s",
                        org_id, instance.instance_identifier, exc.message)
    runner_ids = Runner.select(Runner.id).where(Runner.org_id == org_id)
    RunnerInstance.delete().where(RunnerInstance.runner.in_(runner_ids)).execute()
    Runner.delete().where(Runner.org_id == org_id).execute()
