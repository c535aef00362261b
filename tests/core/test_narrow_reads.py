"""The hot reads select what the requests use (issue 13, round eleven): every column is work
for the driver and the server on every request (docs/serving.md, "what PostgreSQL adds per
request"). The narrow rows are types of their own, so a column left out is an AttributeError
rather than a None. Counted, never timed."""

from __future__ import annotations

import pytest

from plue_core.accounts.models import Account, SignedInAccount
from plue_core.testing import basic_auth, make_user, token_auth
from tests.core.test_hot_path_query_counts import bench, statements_for  # noqa: F401 (a fixture)


def select_list(sql: str) -> list[str]:
    """The top-level select list of ``sql`` (its columns, subqueries counted as one)."""
    depth, start, columns = 0, len("SELECT "), []
    for at, char in enumerate(sql):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and at >= start and sql.startswith(", ", at):
            columns.append(sql[start:at])
            start = at + 2
        elif depth == 0 and at >= start and sql.startswith(" FROM ", at):
            return columns + [sql[start:at]]
    raise AssertionError(f"no FROM in {sql}")


@pytest.fixture
def alice(client, ctx) -> dict:
    make_user(ctx, "alice")
    token = client.simulate_post("/api/v1/users/alice/tokens", headers=basic_auth("alice"),
                                 json={"name": "t", "scopes": ["all"]}).json["sha1"]
    return token_auth(token)


# Columns of an account no hot body renders and no access check reads: before this round every
# read of an account (the token's, the owner's, the poster's, the assignees', the merger's,
# the requested reviewers') selected them all, the password hash among them.
NEVER_ON_A_HOT_READ = ("password_hash", "lower_email", "must_change_password",
                       "max_repo_creation", "lower_short_name")
# The widest top-level select list of each GET's statements (36, 77, 47 and 75 before; five
# more since the User body renders Gitea's three counters, the language and hide_email from
# the account row, 2026-12-07: a column each, instead of a query per body; one more on each
# repository read since its row says whether a transfer is pending, 2026-12-08: the body's
# ``repo_transfer`` reads the transfer only then).
WIDEST = {"/api/v1/user": 32, "/api/v1/repos/bench/bench": 73,
          "/api/v1/repos/bench/bench/issues/2": 72, "/api/v1/repos/bench/bench/pulls/1": 73,
          "/api/v1/repos/bench/bench/issues": 72}


@pytest.mark.parametrize("path", list(WIDEST))
def test_a_hot_get_reads_no_account_column_its_body_does_not_render(client, ctx, bench,  # noqa: F811
                                                                    path):
    statements_for(client, ctx, path, bench["headers"])  # warm: compiled, prepared
    statements = statements_for(client, ctx, path, bench["headers"])
    for sql in statements:
        assert not [c for c in NEVER_ON_A_HOT_READ if f'"{c}"' in sql], sql
    assert max(len(select_list(sql)) for sql in statements) == WIDEST[path]


def test_the_token_read_has_the_token_and_its_account_only(client, ctx, bench):  # noqa: F811
    statements_for(client, ctx, "/api/v1/user", bench["headers"])
    [token_read] = statements_for(client, ctx, "/api/v1/user", bench["headers"])
    # The token's 8 columns and the account's 24 (36 before: every column of the account; 19
    # before the User body's counters, language and hide_email).
    assert len(select_list(token_read)) == 8 + len(SignedInAccount._meta.sorted_fields) == 32


def test_a_column_the_token_read_left_out_is_an_error_not_a_none(ctx, alice):
    from plue_core.accounts import users
    from plue_core.db import connection

    with connection(ctx.db):
        signed_in = users.find_access_token(alice["Authorization"].split()[1]).user
        whole = users.find_account_by_id(signed_in.id)
    assert whole.password_hash  # the row has one: the narrow read does not answer it
    assert type(signed_in) is SignedInAccount and isinstance(signed_in, Account)
    assert (signed_in.name, signed_in.is_admin, signed_in.active) == ("alice", False, True)
    with pytest.raises(AttributeError, match="password_hash"):
        signed_in.password_hash  # noqa: B018
    with pytest.raises(AttributeError, match="must_change_password"):
        signed_in.must_change_password = True
