"""/api/queues/status and the queue switches (pause, resume, clear failed)."""

from __future__ import annotations

from plue_core.identity import require_admin
from plue_core.openapi import operation
from plue_runnerhub import external_jobs, jobs, queues
from plue_runnerhub.envelope import success
from plue_runnerhub.resources.jobs import TAGS, HubResource
from plue_runnerhub.schemas import (
    QUEUE_CLEARED_ENVELOPE,
    QUEUE_CLEARED_SHAPE,
    QUEUE_ENVELOPE,
    QUEUE_SHAPE,
    QUEUES_ENVELOPE,
    QUEUES_SHAPE,
)


class QueueStatusResource(HubResource):
    @operation("Waiting, active, completed, failed and delayed jobs per queue",
               response=QUEUES_ENVELOPE, tags=TAGS)
    def on_get(self, req, resp):
        identity = self.caller(req)
        visible = jobs.visible_repositories(self.service, identity)
        success(resp, QUEUES_SHAPE(queues.status(self.service, visible,
                                                 include_idle=identity.is_admin,
                                                 external_query=external_jobs.visible(identity))))


class QueueSwitchResource(HubResource):
    def __init__(self, service, paused: bool):
        super().__init__(service)
        self.paused = paused

    @operation("Pause or resume handing a queue's jobs to runners (administrators)",
               response=QUEUE_ENVELOPE, tags=TAGS)
    def on_post(self, req, resp, queue_name):
        identity = require_admin(req)
        name = queues.switch(self.service, queue_name, self.paused)
        counts = queues.status(self.service, jobs.visible_repositories(self.service, identity),
                               include_idle=True,
                               external_query=external_jobs.visible(identity))
        queue = next(q for q in counts if q.name == name)
        success(resp, QUEUE_SHAPE(queue), message=f"Queue {name} {'paused' if self.paused else 'resumed'}")


class QueueFailedResource(HubResource):
    @operation("Stop counting a queue's failed jobs (runs and logs stay)",
               response=QUEUE_CLEARED_ENVELOPE, tags=TAGS)
    def on_delete(self, req, resp, queue_name):
        identity = require_admin(req)
        name = queues.checked_name(queue_name)
        cleared = queues.clear_failed(self.service,
                                      jobs.visible_repositories(self.service, identity), name,
                                      external_jobs.visible(identity))
        success(resp, QUEUE_CLEARED_SHAPE(name, cleared))
