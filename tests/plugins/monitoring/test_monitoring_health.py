"""GET /health carries RunnerHub's metrics section (seed 002) from real rows."""

LONG = """
on: push
jobs:
  wait:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 300
"""


def test_health_counts_the_running_jobs_and_the_runners(actions_forge, client):
    before = client.simulate_get("/health").json["metrics"]
    assert before == {"active_jobs": 0, "total_runners": 0, "online_runners": 0}
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", LONG)
    assert runner.fetch() is not None
    after = client.simulate_get("/health").json["metrics"]
    assert after == {"active_jobs": 1, "total_runners": 1, "online_runners": 1}
