"""plue_core.testing's ``plue_app`` and ``build_app`` give each test a copy of a database
migrated once per test process (``MigratedTemplates``): the copy must be what migrating builds,
hold none of another test's rows, and only be made for an empty database of the same scripts."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import (assert_migrations_match_models, fresh_database_url, make_test_config,
                               make_user, migrate, recorded_statements)


def _app(tmp_path, url, *plugins):
    return create_app(make_test_config(tmp_path, url), plugins=plugins)


def test_a_copied_database_is_the_migrated_schema_without_another_tests_rows(tmp_path,
                                                                             migrated_templates):
    with fresh_database_url(tmp_path / "one") as first_url, \
            fresh_database_url(tmp_path / "two") as second_url:
        (tmp_path / "one").mkdir(exist_ok=True)
        first = _app(tmp_path / "one", first_url)
        migrated_templates.migrate(first)
        make_user(first.plue, "h98-first")
        first.plue.close()

        second = _app(tmp_path / "two", second_url)
        with recorded_statements(second.plue.db) as statements:
            migrated_templates.migrate(second)
        try:
            # Copied, not migrated: no table was created through the app.
            assert not [sql for sql in statements if sql.lstrip().upper().startswith("CREATE TABLE")
                        and "migration" not in sql.lower()], statements
            assert_migrations_match_models(second)
            reply = falcon.testing.TestClient(second).simulate_get("/api/v1/users/h98-first")
            assert reply.status_code == 404, reply.text
        finally:
            second.plue.close()


def test_a_database_that_already_holds_tables_is_migrated_not_replaced(tmp_path, migrated_templates):
    with fresh_database_url(tmp_path) as url:
        app = _app(tmp_path, url)
        migrate(app)  # as a test that prepared its database itself
        make_user(app.plue, "h98-kept")
        app.plue.close()

        again = _app(tmp_path, url)
        migrated_templates.migrate(again)
        try:
            reply = falcon.testing.TestClient(again).simulate_get("/api/v1/users/h98-kept")
            assert reply.status_code == 200, reply.text
        finally:
            again.plue.close()


def test_a_database_an_earlier_app_migrated_is_never_kept_as_a_template(tmp_path):
    """A test that builds a full app and then one without the web plugin on the same database
    leaves web's tables there; that database must not become the template of "without web",
    or the next test of that set would get tables its plugins never made (CI's failure of
    tests/plugins/web/test_web_security_and_routing.py::test_the_plugin_can_be_switched_off)."""
    from plue_core.testing import MigratedTemplates

    templates = MigratedTemplates(tmp_path / "templates")
    (tmp_path / "templates").mkdir()
    without_web = {"plugins": {"disabled": ["web"]}}
    try:
        with fresh_database_url(tmp_path / "one") as url:
            full = create_app(make_test_config(tmp_path / "one", url))
            templates.migrate(full)
            full.plue.close()
            after = create_app(make_test_config(tmp_path / "one", url, **without_web))
            templates.migrate(after)  # finds web's tables: migrated, not a template
            after.plue.close()
        with fresh_database_url(tmp_path / "two") as url:
            app = create_app(make_test_config(tmp_path / "two", url, **without_web))
            templates.migrate(app)
            try:
                assert "web_session" not in app.plue.db.get_tables()
                assert_migrations_match_models(app)
            finally:
                app.plue.close()
    finally:
        templates.drop()


def test_a_database_only_named_is_created_straight_from_the_template(tmp_path, monkeypatch):
    """PostgreSQL: a test whose database only plue_app/build_app use gets it with one
    ``CREATE DATABASE ... TEMPLATE`` when its app migrates, not an empty one first that the copy
    then drops and replaces (two creations and a drop per test before)."""
    import contextlib

    from plue_core import testing

    if not (url_env := testing.test_database_server()):
        pytest.skip("PostgreSQL only (PLUE_TEST_DATABASE_URL): SQLite's file needs no creating")
    sent: list[str] = []
    admin = testing._admin

    class Recording:
        def __init__(self, cursor):
            self.cursor = cursor

        def execute(self, sql, *args):
            if sql.startswith(("CREATE DATABASE", "DROP DATABASE")):
                sent.append(sql)
            return self.cursor.execute(sql, *args)

        def fetchone(self):
            return self.cursor.fetchone()

    @contextlib.contextmanager
    def recording(server_url):
        with admin(server_url) as cursor:
            yield Recording(cursor)

    templates = testing.MigratedTemplates(tmp_path / "templates")
    try:
        with fresh_database_url(tmp_path / "one") as url:
            first = _app(tmp_path / "one", url)
            templates.migrate(first)  # migrated, kept as the template
            make_user(first.plue, "h103-first")
            first.plue.close()
        monkeypatch.setattr(testing, "_admin", recording)
        with fresh_database_url(tmp_path / "two", create=False) as url:
            assert url_env and _database_exists(url) is False
            templates.uncreated.add(url)
            second = _app(tmp_path / "two", url)
            with recorded_statements(second.plue.db) as statements:
                templates.migrate(second)
            try:
                assert len(sent) == 1 and sent[0].startswith("CREATE DATABASE") and " TEMPLATE " in sent[0], sent
                assert not [sql for sql in statements if sql.lstrip().upper().startswith("CREATE TABLE")
                            and "migration" not in sql.lower()], statements
                assert_migrations_match_models(second)
                reply = falcon.testing.TestClient(second).simulate_get("/api/v1/users/h103-first")
                assert reply.status_code == 404, reply.text
            finally:
                second.plue.close()
        assert _database_exists(url) is False  # dropped with the test
    finally:
        monkeypatch.undo()
        templates.drop()


def _database_exists(url: str) -> bool:
    from plue_core import testing

    with testing._admin(testing._server_of(url)) as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (testing._database_name(url),))
        return cursor.fetchone() is not None


def test_a_test_using_only_its_app_leaves_the_database_to_the_app(request, ctx):
    """Only a test whose database nothing but plue_app/build_app touches has it created when
    its app migrates (the next two tests: anything else gets it at once, as before)."""
    from plue_core.testing import _database_used_before_migrating

    assert _database_used_before_migrating(request.node) is False
    assert ctx.db.get_tables()  # created and migrated all the same


def test_a_test_asking_for_the_url_gets_an_empty_database_at_once(request, plue_database_url,
                                                                  build_app, migrated_templates):
    from plue_core.testing import _database_used_before_migrating

    assert _database_used_before_migrating(request.node) is True
    assert plue_database_url not in migrated_templates.uncreated
    app = build_app(migrate_db=False)  # a migration test's start: nothing there
    assert app.plue.db.get_tables() == []


@pytest.fixture
def url_user(plue_database_url):
    """A fixture of a test's own that uses the URL (as a live server or a CLI runner does)."""
    return plue_database_url


def test_a_fixture_using_the_url_gets_the_database_created_at_once(request, url_user, ctx,
                                                                    migrated_templates):
    from plue_core.testing import _database_used_before_migrating

    assert _database_used_before_migrating(request.node) is True
    assert url_user not in migrated_templates.uncreated
