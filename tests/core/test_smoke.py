from plue_core.testing import basic_auth, make_user


def test_version_answers(client):
    assert client.simulate_get("/api/v1/version").json == {"version": client.app.plue.version}


def test_a_user_can_read_themself_with_basic_auth(client, ctx):
    make_user(ctx, "alice")
    response = client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    assert response.status_code == 200
    assert response.json["login"] == "alice"


def test_live_server_serves_health(live_server):
    import requests
    assert requests.get(f"{live_server.url}/health").json()["status"] == "healthy"
