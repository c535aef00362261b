"""/api/runners: the actions runners, registering one, and a runner's status."""

from plue_runnerhub.testing import CI, data, error, hub

REGISTER = {"name": "runnerhub-2", "labels": ["ubuntu-latest", "docker", "node"], "os": "linux",
            "architecture": "x64",
            "capabilities": {"docker": True, "kubernetes": False, "max_concurrent_jobs": 5},
            "resource_info": {"cpu_cores": 8, "memory_gb": 16, "disk_gb": 200}}


def test_registering_a_runner_returns_its_token_once_and_it_works_over_runner_v1(actions_forge):
    from plue_actions.testing import ProtocolRunner, transport_for_client

    response = hub(actions_forge, "POST", "/api/runners", as_user="root", body=REGISTER)
    registered = data(response, 201)
    assert registered["name"] == "runnerhub-2" and registered["status"] == "offline"
    assert registered["os"] == "linux" and registered["architecture"] == "x64"
    assert registered["capabilities"] == REGISTER["capabilities"]
    assert registered["resource_info"] == REGISTER["resource_info"]
    assert registered["labels"] == REGISTER["labels"] and registered["busy"] is False
    assert registered["token"] and registered["uuid"]
    listed = data(hub(actions_forge, "GET", "/api/runners", as_user="root"))["runners"]
    assert "token" not in listed[0] and listed[0]["id"] == registered["id"]
    # The token is a real runner.v1 credential: the runner picks up a job with it.
    runner = ProtocolRunner(transport_for_client(actions_forge.client))
    runner.uuid, runner.token = registered["uuid"], registered["token"]
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    assert runner.fetch() is not None
    status = data(hub(actions_forge, "GET", f"/api/runners/{registered['id']}/status",
                      as_user="root"))
    assert status["status"] == "online" and status["busy"] is True
    assert status["current_job"]["job_name"] == "Build and Test"
    assert status["current_job"]["job_id"].startswith("job_")
    assert status["health"]["status"] == "healthy"
    assert status["health"]["last_heartbeat"].endswith("Z")
    assert isinstance(status["health"]["uptime"], int)
    assert status["resource_usage"] is None


def test_listing_runners_filters_by_status_and_labels_with_a_summary(actions_forge):
    busy = actions_forge.runner(labels=("ubuntu-latest",), name="busy-one")
    actions_forge.runner(labels=("ubuntu-latest", "docker"), name="idle-one")
    data(hub(actions_forge, "POST", "/api/runners", body={**REGISTER, "name": "never-seen"}), 201)
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    assert busy.fetch() is not None
    listing = data(hub(actions_forge, "GET", "/api/runners"))
    assert listing["summary"] == {"total": 3, "online": 2, "busy": 1, "idle": 1, "offline": 1}
    runner = listing["runners"][0]
    assert set(runner) >= {"id", "name", "status", "busy", "labels", "os", "architecture",
                           "current_job", "last_seen", "created_at", "capabilities",
                           "resource_info"}
    names = lambda **params: [r["name"] for r in data(hub(actions_forge, "GET", "/api/runners",
                                                          params=params))["runners"]]
    assert names(status="online") == ["busy-one", "idle-one"]
    assert names(status="busy") == ["busy-one"]
    assert names(status="idle") == ["idle-one"]
    assert names(status="offline") == ["never-seen"]
    assert names(labels="docker") == ["idle-one", "never-seen"]
    assert names(labels="ubuntu-latest,node") == ["never-seen"]
    problem = error(hub(actions_forge, "GET", "/api/runners", params={"status": "asleep"}), 400,
                    "VALIDATION_ERROR")
    assert problem["details"]["field"] == "status"


def test_runners_of_other_owners_are_invisible(actions_forge):
    actions_forge.runner(name="alices")
    assert data(hub(actions_forge, "GET", "/api/runners", as_user="bob"))["runners"] == []
    runner_id = data(hub(actions_forge, "GET", "/api/runners"))["runners"][0]["id"]
    error(hub(actions_forge, "GET", f"/api/runners/{runner_id}/status", as_user="bob"), 404,
          "RESOURCE_NOT_FOUND")
    assert data(hub(actions_forge, "GET", "/api/runners", as_user="root"))["summary"]["total"] == 1
    error(hub(actions_forge, "GET", "/api/runners/runner_4242/status"), 404, "RESOURCE_NOT_FOUND")


def test_a_user_registers_runners_for_themself_not_for_others(actions_forge):
    mine = data(hub(actions_forge, "POST", "/api/runners", as_user="bob", body=REGISTER), 201)
    assert [r["id"] for r in data(hub(actions_forge, "GET", "/api/runners", as_user="bob"))["runners"]] == [mine["id"]]
    assert data(hub(actions_forge, "GET", "/api/runners"))["runners"] == []
    error(hub(actions_forge, "POST", "/api/runners", as_user="bob",
              body={**REGISTER, "owner": "alice"}), 403, "AUTHORIZATION_FAILED")
    error(hub(actions_forge, "POST", "/api/runners", as_user="bob",
              body={**REGISTER, "owner": "nobody"}), 404, "RESOURCE_NOT_FOUND")


def test_runner_registrations_are_validated(actions_forge):
    for body, field in (({**REGISTER, "name": ""}, "name"), ({**REGISTER, "labels": []}, "labels"),
                        ({**REGISTER, "capabilities": {"docker": "often"}}, "capabilities"),
                        ({**REGISTER, "resource_info": {"cpu_cores": 0}}, "resource_info"),
                        ({**REGISTER, "resource_info": {"gpus": 2}}, "resource_info")):
        problem = error(hub(actions_forge, "POST", "/api/runners", as_user="root", body=body),
                        400, "VALIDATION_ERROR")
        assert field in problem["message"], problem
    assert data(hub(actions_forge, "GET", "/api/runners", as_user="root"))["runners"] == []


def test_an_organizations_owners_register_and_see_its_runners(actions_forge):
    assert actions_forge.api("POST", "/orgs", {"username": "acme"}).status_code == 201
    registered = data(hub(actions_forge, "POST", "/api/runners",
                          body={**REGISTER, "name": "acme-runner", "owner": "acme"}), 201)
    assert [r["id"] for r in data(hub(actions_forge, "GET", "/api/runners"))["runners"]] == [registered["id"]]
    assert data(hub(actions_forge, "GET", "/api/runners", as_user="bob"))["runners"] == []
    error(hub(actions_forge, "POST", "/api/runners", as_user="bob",
              body={**REGISTER, "owner": "acme"}), 403, "AUTHORIZATION_FAILED")
    # The same runner in the Gitea API of the organization's runners.
    listed = actions_forge.api("GET", "/orgs/acme/actions/runners").json["runners"]
    assert [r["name"] for r in listed] == ["acme-runner"]
