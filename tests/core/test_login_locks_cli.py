"""``plue admin locks list|clear``: the login throttling counters from the command line."""

from __future__ import annotations

import json

import falcon.testing

from plue_core import create_app
from plue_core.config import load_config
from plue_core.testing import basic_auth


def _fail_logins(plue, who: str, address: str, times: int) -> None:
    app = create_app(load_config(plue.config_path, environ={}))
    try:
        client = falcon.testing.TestClient(app)
        for _ in range(times):
            client.simulate_get("/api/v1/user", headers=basic_auth(who, "wrong"),
                                remote_addr=address)
    finally:
        app.plue.close()


def test_admins_list_counters_as_json_and_clear_them_by_address_or_all(plue):
    plue.configure(accounts={"login_max_failures": 2})
    plue("migrate")
    _fail_logins(plue, "alice", "192.0.2.1", 2)
    _fail_logins(plue, "bob", "192.0.2.2", 1)

    rows = json.loads(plue("admin", "locks", "list", "--json").stdout)
    assert [(r["scope"], r["user"], r["address"], r["locked"]) for r in rows][:1] == \
        [("pair", "alice", "192.0.2.1", True)]
    assert len(rows) == 6
    assert "no failed logins are counted" in plue("admin", "locks", "list", "--user",
                                                   "nobody").stdout

    assert plue("admin", "locks", "clear", "--address", "192.0.2.1").stdout == "2 counter(s) cleared\n"
    assert plue("admin", "locks", "list", "--locked").stdout == "no failed logins are counted\n"
    assert plue("admin", "locks", "clear", "--all").stdout == "4 counter(s) cleared\n"


def test_clear_without_naming_what_refuses_with_a_usage_error(plue):
    plue("migrate")
    result = plue("admin", "locks", "clear", check=False)
    assert result.returncode == 2 and "name what to clear: --user, --address or --all" in result.stderr


def test_failed_logins_for_names_no_account_has_are_counted_too(plue):
    """Else a 429 would tell which names exist."""
    plue("migrate")
    _fail_logins(plue, "ghost-user", "192.0.2.3", 1)
    listed = plue("admin", "locks", "list", "--user", "ghost-user").stdout
    assert "ghost-user" in listed and "1 failure(s)" in listed
