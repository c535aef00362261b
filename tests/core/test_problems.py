"""Field problems (plue_core.problems): what is echoed, and how each API family renders them."""

from __future__ import annotations

from plue_core import families
from plue_core.problems import problem

RENDER = {"status": 400, "code": "VALIDATION_ERROR", "message": "bad", "url": "http://x/y",
          "request_id": "r1"}


def test_a_problem_names_the_field_the_value_and_what_was_expected():
    assert problem("repository", "invalid-repo", "owner/repo format") == {
        "field": "repository", "value": "invalid-repo", "expected": "owner/repo format"}
    assert str(problem("limit", "x", "an integer")) == "limit: an integer"


def test_credentials_and_long_values_are_never_echoed():
    for name in ("password", "new_password", "github_runner_token", "client_secret",
                 "private_key"):
        assert "value" not in problem(name, "hunter2", "a string"), name
    assert "value" not in problem("content", "x" * 500, "at most 10 bytes")
    assert problem("labels", ["a", "b"], "a list")["value"] == ["a", "b"]
    assert problem("repository", None, "required")["value"] is None
    assert "value" not in problem("content", expected="text")


def test_runnerhub_shows_the_first_problem_and_lists_all_when_several():
    one = families.RUNNERHUB.error_body(details=[problem("a", 1, "x")], **RENDER)
    assert one["error"]["details"] == {"field": "a", "value": 1, "expected": "x"}
    two = families.RUNNERHUB.error_body(
        details=[problem("a", 1, "x"), problem("b", 2, "y")], **RENDER)["error"]["details"]
    assert two["field"] == "a" and [p["field"] for p in two["errors"]] == ["a", "b"]


def test_a_runnerhub_validation_error_without_a_named_field_names_the_request():
    bare = families.RUNNERHUB.error_body(details=None, **RENDER)["error"]["details"]
    assert bare == {"field": "request", "value": None, "expected": "bad"}
    workflow = [{"location": "jobs.build", "message": "runs-on is required"}]
    kept = families.RUNNERHUB.error_body(details=workflow, **RENDER)["error"]["details"]
    assert kept["field"] == "request" and kept["errors"] == workflow
    other = families.RUNNERHUB.error_body(**{**RENDER, "status": 409, "code": "CONFLICT"},
                                          details={"name": "x"})
    assert other["error"]["details"] == {"name": "x"}  # only validation errors are reshaped


def test_gitea_and_the_bare_families_keep_field_expected_strings():
    gitea = families.GITEA.error_body(details=[problem("name", "", "required")], **RENDER)
    assert gitea == {"message": "bad", "url": "http://x/y", "errors": ["name: required"]}
    pilot = families.PILOT.error_body(details=[problem("email", "x", "an e-mail")], **RENDER)
    assert pilot == {"error": "bad", "details": ["email: an e-mail"]}
