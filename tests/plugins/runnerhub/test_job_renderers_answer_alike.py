"""A RunnerHub job body is declared once (``schemas._JOB_FIELDS``...) and read from either
kind of job row: every field that differs between the kinds asks the job's renderer
(``per_kind``), so both renderers must answer each of those calls."""

from __future__ import annotations

from plue_runnerhub import schemas
from plue_runnerhub.external_jobs import ExternalJobRenderer
from plue_runnerhub.jobs import JobRenderer


def asked(shape) -> set[str]:
    return {field.source.__name__.removeprefix("per_kind_") for field in shape.fields
            if getattr(field.source, "__name__", "").startswith("per_kind_")}


def test_both_renderers_answer_every_call_of_the_shared_job_shapes():
    shared = asked(schemas.HUB_JOB_DETAIL_SHAPE) | asked(schemas.DELEGATION_SHAPE)
    assert {"job_name", "repository", "status", "estimated_completion"} <= shared
    for renderer in (JobRenderer, ExternalJobRenderer):
        assert [name for name in sorted(shared | {"job_id", "progress", "delegation_status",
                                                  "delegated"})
                if not callable(getattr(renderer, name, None))] == [], renderer


def test_the_external_fields_and_hosted_metadata_ask_their_own_renderer():
    assert asked(schemas.EXTERNAL_JOB_SHAPE) - asked(schemas.HUB_JOB_SHAPE) == {"delegation_id"}
    assert all(callable(getattr(JobRenderer, name))
               for name in asked(schemas.JOB_METADATA_SHAPE))
    assert not JobRenderer.external and ExternalJobRenderer.external
