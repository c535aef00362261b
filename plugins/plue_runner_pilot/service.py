"""``ctx.services["runners"]``: the plugin's shared state (settings, the token vault) and what
other plugins may ask of runners."""

from __future__ import annotations

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
