"""``ctx.services["runners"]``: the plugin's shared state (settings, the token vault) and what
other plugins may ask of runners."""

from __future__ import annotations

import uuid

from plue_runner_pilot import instances, monitoring
from plue_runner_pilot.models import Runner, RunnerInstance
from plue_runner_pilot.token_vault import TokenVault


class RunnersService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("runner_pilot")
        self.vault = TokenVault(ctx.secret_key)

    @property
    def nodes(self):
        return self.ctx.services["nodes"]

    def instances_on_node(self, node_id: int) -> list[RunnerInstance]:
        return list(RunnerInstance.select(RunnerInstance, Runner).join(Runner)
                    .where(RunnerInstance.node_id == node_id).order_by(RunnerInstance.id))

    def instances_of_org(self, org_id: int) -> list[RunnerInstance]:
        return list(RunnerInstance.select(RunnerInstance, Runner).join(Runner)
                    .where(Runner.org_id == org_id).order_by(RunnerInstance.id))

    # --- the fleet dashboard (web pages of site administrators) -------------------------------

    def fleet(self, org_id: int | None = None) -> list[Runner]:
        """Every runner definition (of organization ``org_id`` when given), each with
        ``fleet_instances`` (its instances, oldest first): two queries for the whole fleet."""
        runners = Runner.select().order_by(Runner.org_id, Runner.lower_name)
        instances = RunnerInstance.select().order_by(RunnerInstance.created_at, RunnerInstance.id)
        if org_id is not None:
            runners = runners.where(Runner.org_id == org_id)
            instances = instances.join(Runner).where(Runner.org_id == org_id)
        runners = list(runners)
        by_runner: dict[int, list] = {runner.id: [] for runner in runners}
        for instance in instances:
            by_runner.setdefault(instance.runner_id, []).append(instance)
        for runner in runners:
            runner.fleet_instances = by_runner[runner.id]
        return runners

    def instance_by_uid(self, uid: str) -> RunnerInstance | None:
        """The instance ``uid`` of any organization with its runner and node (None: no such)."""
        try:
            parsed = uuid.UUID(str(uid))
        except ValueError:
            return None
        instance = RunnerInstance.get_or_none(RunnerInstance.uid == parsed)
        return instances.with_node(self, instance) if instance is not None else None

    def instance_metrics(self, instance) -> dict:
        """Seed 001's metrics of ``instance`` (one docker stats sample: about a second)."""
        return monitoring.metrics(self, instance)

    def instance_logs(self, instance, lines: int | None = None) -> list[dict]:
        """Seed 001's log lines of ``instance`` (the last ``lines``), oldest first."""
        return monitoring.logs(self, instance, lines)
