"""The runner fleet in a browser: the dashboard seed 002's ``/api/monitoring/dashboard`` was made
for (``/-/admin/fleet``: runs, jobs, runners and the host drawn as SVG charts, the Runner Pilot
nodes, runners and instances, RunnerHub's queues with pause and resume, its newest jobs), an
instance's metrics and logs (``/-/admin/fleet/instances/{uid}``), the same for one
organization's nodes, runners and instances (``/{org}/-/fleet``), and the Actions runners at
Gitea's settings addresses (``/-/admin/actions/runners``, ``/{owner}/{repo}/settings/actions/
runners``; an organization's at ``/{org}/-/settings/actions/runners``, since Gitea's
``/org/...`` is seed 001's API family here).

Site administrators only (organization owners for their organization's runners, repository
administrators for their repository's); everyone else gets a 404, as Gitea's administration
pages. The numbers come only from the services (monitoring, nodes, runners, runnerhub,
actions); a plugin that is switched off leaves its part of the page out."""

from __future__ import annotations

import urllib.parse

import falcon

from plue_core.accounts.models import Account
from plue_core.errors import NotFound, PlueError

from plue_web import charts
from plue_web.pages.base import Page
from plue_web.pages.repository import RepositoryPage

RUN_STATUSES = ("success", "failure", "cancelled", "skipped", "waiting", "running", "blocked")
FLEET = "/-/admin/fleet"
RECENT_JOBS = 15


def account_names(ids) -> dict[int, str]:
    """Account id -> name, in one query."""
    ids = {account_id for account_id in ids if account_id}
    return {row.id: row.name for row in Account.select(Account.id, Account.name)
            .where(Account.id.in_(list(ids)))} if ids else {}


class AdminPage(Page):
    @property
    def services(self):
        return self.face.ctx.services

    def require_admin(self, req):
        """The signed-in site administrator; others see a 404 (sign in first: a redirect)."""
        identity = self.require_signed_in(req)
        if not identity.is_admin:
            raise NotFound("Not Found")
        return identity


class OrgOwnerPage(AdminPage):
    def require_org_owner(self, req, org: str):
        """The organization ``org`` when the signed-in viewer owns it or administers the
        site; a 404 to everyone else (and for a user's name)."""
        identity = self.require_signed_in(req)
        account = self.accounts.find_org(org)
        if account is None or not (identity.is_admin or
                                   self.accounts.is_org_owner(account, identity.user_id)):
            raise NotFound(f"organization {org} does not exist")
        return identity, account


class FleetPage(AdminPage):
    """The whole fleet, for site administrators."""

    def on_get(self, req, resp):
        identity = self.require_admin(req)
        self.show(req, resp, identity, None, FLEET)

    def show(self, req, resp, identity, org, fleet_url: str) -> None:
        """The dashboard; of one organization's nodes and runners when ``org`` is given
        (the site-wide numbers and RunnerHub's queues are the administrators')."""
        org_id = org.id if org is not None else None
        values = {"dashboard": None, "nodes": None, "runners": None, "queues": None, "jobs": None}
        if "monitoring" in self.services and org is None:
            values["dashboard"] = self.dashboard(identity)
        if "runners" in self.services:
            values["runners"] = self.services["runners"].fleet(org_id)
        if "nodes" in self.services:
            values["nodes"] = self.nodes(values["runners"] or [], org_id)
        if values["runners"] is not None:
            by_id = {node["node"].id: node["node"] for node in values["nodes"] or []}
            for runner in values["runners"]:
                for instance in runner.fleet_instances:
                    instance.fleet_node = by_id.get(instance.node_id)
        if "runnerhub" in self.services and org is None:
            hub = self.services["runnerhub"]
            values["queues"] = self.queue_view(hub.queue_status(identity))
            values["jobs"] = hub.recent_jobs(identity, RECENT_JOBS)
        names = {org.id: org.name} if org is not None else account_names(
            [node["node"].org_id for node in values["nodes"] or []]
            + [runner.org_id for runner in values["runners"] or []])
        self.render(req, resp, "fleet/dashboard.html", org_names=names, charts=charts,
                    fleet_url=fleet_url, org=org, **values)

    def dashboard(self, identity) -> dict:
        found = self.services["monitoring"].dashboard(identity)
        view = {"failures": found["recent_failures"] or [], "system": found["system"],
                "requests": found["requests"], "runs": None, "jobs": None, "runners": None}
        for key in ("runs", "jobs"):
            if found[key] is not None:
                view[key] = charts.bars(f"Workflow {key} by status", [
                    (label, found[key].get(label, 0), label) for label in RUN_STATUSES])
        if found["runners"] is not None:
            counts = found["runners"]
            view["runners"] = charts.bars("Actions runners", [
                ("online", counts["online"], "success"), ("busy", counts["busy"], "running"),
                ("offline", counts["offline"], "failure")])
        return view

    def nodes(self, runners, org_id: int | None) -> list[dict]:
        instances: dict[int, int] = {}
        for runner in runners:
            for instance in runner.fleet_instances:
                instances[instance.node_id] = instances.get(instance.node_id, 0) + 1
        return [{"node": node, "instances": instances.get(node.id, 0)}
                for node in self.services["nodes"].all_nodes(org_id)]

    @staticmethod
    def queue_view(status: dict) -> dict:
        queues = status["queues"]
        for queue in queues:
            queue["path"] = urllib.parse.quote(queue["name"], safe="")
        chart = charts.bars("Jobs waiting per queue", [
            (queue["name"], queue["waiting"] + queue["delayed"], "waiting") for queue in queues]) \
            if queues else None
        return {"queues": queues, "summary": status["summary"], "chart": chart}


class OrgFleetPage(FleetPage, OrgOwnerPage):
    """``/{org}/-/fleet``: an organization's nodes, runners and instances, for its owners."""

    def on_get(self, req, resp, owner):
        identity, account = self.require_org_owner(req, owner)
        self.show(req, resp, identity, account, f"/{account.name}/-/fleet")


class QueueSwitchPage(AdminPage):
    """``POST /-/admin/fleet/queues/{name}/pause`` (or ``resume``): RunnerHub's switch."""

    def __init__(self, face, paused: bool):
        super().__init__(face)
        self.paused = paused

    def on_post(self, req, resp, name):
        self.require_admin(req)
        self.services["runnerhub"].set_queue_paused(name, self.paused)
        raise falcon.HTTPSeeOther(f"{FLEET}#queues")


class InstancePage(AdminPage):
    """An instance's metrics (one docker stats sample) and its last log lines. An engine that
    does not answer, or a container that is gone, is said on the page instead of the numbers."""

    def on_get(self, req, resp, uid):
        self.require_admin(req)
        self.show(req, resp, uid, None, FLEET)

    def show(self, req, resp, uid, org, fleet_url: str) -> None:
        runners = self.services["runners"]
        instance = runners.instance_by_uid(uid)
        if instance is None or (org is not None and instance.runner.org_id != org.id):
            raise NotFound(f"runner instance {uid} does not exist")
        metrics = logs = None
        problem = ""
        try:
            metrics = runners.instance_metrics(instance)
            logs = runners.instance_logs(instance)
        except PlueError as error:  # the engine is down, the container gone
            problem = str(error)
        gauges = [charts.gauge(f"{name} usage", metrics[f"{name.lower()}_usage"])
                  for name in ("CPU", "Memory", "Disk")] if metrics else []
        self.render(req, resp, "fleet/instance.html", instance=instance, metrics=metrics,
                    gauges=gauges, logs=logs, problem=problem,
                    org_name=account_names([instance.runner.org_id]).get(instance.runner.org_id,
                                                                         ""),
                    fleet_url=fleet_url)


class OrgInstancePage(InstancePage, OrgOwnerPage):
    def on_get(self, req, resp, owner, uid):
        _, account = self.require_org_owner(req, owner)
        self.show(req, resp, uid, account, f"/{account.name}/-/fleet")


class RunnerList:
    """Rows of Actions runners with their scope's name and whether they are online."""

    def rows(self, runners) -> list[dict]:
        actions = self.face.actions
        owners = account_names([runner.owner_id for runner in runners])
        rows = []
        for runner in runners:
            if runner.repository_id:
                repository = actions.repository_of(runner.repository_id)
                scope = repository.full_name if repository is not None else "(deleted repository)"
            elif runner.owner_id:
                scope = owners.get(runner.owner_id, "(deleted account)")
            else:
                scope = "global"
            rows.append({"runner": runner, "scope": scope,
                         "online": actions.runner_is_online(runner)})
        return rows


class AdminRunnersPage(AdminPage, RunnerList):
    def on_get(self, req, resp):
        self.require_admin(req)
        self.render(req, resp, "fleet/runners.html", title="Runners of this site",
                    rows=self.rows(self.face.actions.all_runners()), fleet_url=FLEET)


class OrgRunnersPage(OrgOwnerPage, RunnerList):
    """An organization's runners and the global ones it may use: its owners and site
    administrators; a 404 to everyone else (and for a user's name)."""

    def on_get(self, req, resp, owner):
        identity, account = self.require_org_owner(req, owner)
        self.render(req, resp, "fleet/runners.html", title=f"Runners of {account.name}",
                    rows=self.rows(self.face.actions.runners_usable_by(account.id)),
                    fleet_url=FLEET if identity.is_admin else "")


class RepoRunnersPage(RepositoryPage, RunnerList):
    """A repository's runners and those it inherits (its owner's, the global ones): its
    administrators; a 404 to everyone else, readers included (as Gitea's settings)."""

    def on_get(self, req, resp, owner, repo):
        identity = self.require_signed_in(req)
        access = self.access(req, owner, repo)
        if not access.allows("admin"):
            raise NotFound(f"repository {owner}/{repo} does not exist")
        repository = access.repository
        runners = self.face.actions.runners_usable_by(repository.owner_id, repository.id)
        self.render(req, resp, "fleet/repo_runners.html", rows=self.rows(runners),
                    fleet_url=FLEET if identity.is_admin else "",
                    **self.common(req, repository))
