"""GET /metrics (Prometheus text), GET /api/metrics and GET /api/monitoring/dashboard report
real numbers: request counts from the middleware, jobs and runners from the database, the
host from psutil."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from plue_core.testing import basic_auth

WORKFLOW = """
name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo test
"""


def scrape(client) -> dict:
    response = client.simulate_get("/metrics", headers=basic_auth("root"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def finish_two_jobs(forge):
    """One job succeeds and one fails; returns the runner used."""
    runner = forge.runner()
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    for result in ("RESULT_SUCCESS", "RESULT_FAILURE"):
        task = runner.fetch()
        runner.update_log(int(task["id"]), 0, ["working"], no_more=True)
        runner.update_task(int(task["id"]), result)
    return runner


def test_the_prometheus_text_parses_and_counts_requests_by_family_and_status(actions_forge):
    client = actions_forge.client
    client.simulate_get("/api/v1/version")
    client.simulate_get("/api/metrics")  # 401: counted with its status
    client.simulate_get("/api/metrics", headers={"Authorization": "Bearer not-a-jwt"})
    samples = scrape(client)
    assert samples[("plue_http_requests_total",
                    (("family", "gitea"), ("method", "GET"), ("status", "200")))] >= 1
    assert samples[("plue_http_requests_total",
                    (("family", "runnerhub"), ("method", "GET"), ("status", "401")))] == 2
    assert samples[("plue_http_request_duration_seconds_count", (("family", "runnerhub"),))] >= 1
    assert samples[("plue_users", ())] == 3  # root, alice, bob
    assert samples[("plue_repositories", ())] == 1


def test_the_scrape_reads_jobs_and_runners_from_the_database(actions_forge):
    finish_two_jobs(actions_forge)
    samples = scrape(actions_forge.client)
    assert samples[("plue_jobs", (("status", "success"),))] == 1
    assert samples[("plue_jobs", (("status", "failure"),))] == 1
    assert samples[("plue_active_jobs", ())] == 0
    assert samples[("plue_runners", ())] == 1 and samples[("plue_runners_online", ())] == 1
    assert samples[("plue_runners_busy", ())] == 0


def test_a_running_task_makes_its_runner_busy_and_the_job_active(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    assert runner.fetch() is not None
    samples = scrape(actions_forge.client)
    assert samples[("plue_active_jobs", ())] == 1 and samples[("plue_runners_busy", ())] == 1


def test_api_metrics_has_the_seeds_sections_with_real_numbers(actions_forge):
    finish_two_jobs(actions_forge)
    client = actions_forge.client
    response = client.simulate_get("/api/metrics", headers=basic_auth("alice"))
    assert response.status_code == 200 and response.json["success"] is True
    data = response.json["data"]
    assert set(data) == {"system", "application", "github", "performance"}
    system = data["system"]
    for key in ("cpu_usage", "memory_usage", "disk_usage"):
        assert 0 <= system[key] <= 100, (key, system[key])
    assert isinstance(system["uptime"], int) and system["uptime"] > 0
    application = data["application"]
    assert application["active_jobs"] == 0
    assert application["completed_jobs_today"] == 2
    assert application["average_job_duration"] is not None and application["average_job_duration"] >= 0
    assert application["api_requests_per_minute"] >= 1
    assert data["github"] is None
    performance = data["performance"]
    assert performance["cache_hit_ratio"] is None and performance["container_startup_time"] is None
    assert performance["average_response_time"] > 0


def test_the_dashboard_summarises_runs_jobs_runners_and_failures(actions_forge):
    finish_two_jobs(actions_forge)
    client = actions_forge.client
    data = client.simulate_get("/api/monitoring/dashboard", headers=basic_auth("alice")).json["data"]
    assert data["runs"]["failure"] == 1
    assert data["jobs"]["success"] == 1 and data["jobs"]["failure"] == 1
    assert data["runners"] == {"total": 1, "online": 1, "busy": 0, "offline": 0}
    [failure] = data["recent_failures"]
    assert failure["repository"] == "alice/demo" and failure["job_id"].startswith("job_")
    assert failure["workflow"] == "ci.yml" and failure["run_number"] == 1
    assert 0 <= data["system"]["memory_usage"] <= 100
    assert data["generated_at"].endswith("Z")


def test_failures_in_repositories_the_caller_cannot_read_are_left_out(actions_forge):
    actions_forge.api("PATCH", "/repos/alice/demo", {"private": True})
    finish_two_jobs(actions_forge)
    data = actions_forge.client.simulate_get("/api/monitoring/dashboard",
                                             headers=basic_auth("bob")).json["data"]
    assert data["recent_failures"] == []
    assert data["jobs"]["failure"] == 0 and sum(data["runs"].values()) == 0  # not counted either

