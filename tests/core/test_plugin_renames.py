"""Renamed plugins (``runner`` -> ``runner_agent``, ``runners`` -> ``runner_pilot``): what a
user already set under the old names keeps working, with one deprecation notice, and a
database migrated under the old name is not migrated again. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging

import pytest

from plue_core import create_app, migrations
from plue_core.config import load_config
from plue_core.db import connection
from plue_core.errors import StartupError
from plue_core.migrations import AppliedMigration
from plue_core.plugin_renames import RENAMED_PLUGINS
from plue_core.testing import assert_migrations_match_models, write_toml
from plue_core.testing import testing_overrides as overrides_for_tests


def config_file(tmp_path, database_url, **sections):
    path = tmp_path / "plue.toml"
    write_toml(path, overrides_for_tests(tmp_path, database_url, **sections))
    return path


def test_the_former_names_map_to_the_plugins_of_today():
    assert RENAMED_PLUGINS == {"runner": "runner_agent", "runners": "runner_pilot"}


def test_a_plugins_list_naming_the_old_names_disables_the_renamed_plugins(tmp_path, plue_database_url):
    path = config_file(tmp_path, plue_database_url, plugins={"disabled": ["runners", "runner"]})
    config = load_config(path, environ={})
    assert config.plugins["disabled"] == ["runner_pilot", "runner_agent"]
    assert len(config.deprecations) == 2
    assert "[plugins] disabled: 'runners' is now 'runner_pilot'" in config.deprecations[0]
    app = create_app(config)
    try:
        pm = app.plue.plugins.pm
        assert pm.get_plugin("runner_pilot") is None and pm.get_plugin("runner_agent") is None
        assert "runners" not in app.plue.services and "nodes" in app.plue.services
    finally:
        app.plue.close()


def test_an_enabled_list_naming_the_old_name_loads_the_renamed_plugin(tmp_path, plue_database_url):
    enabled = ["meta", "accounts", "nodes", "runners"]
    config = load_config(config_file(tmp_path, plue_database_url, plugins={"enabled": enabled}),
                         environ={})
    app = create_app(config)
    try:
        assert app.plue.plugins.names == ["meta", "accounts", "nodes", "runner_pilot"]
        assert app.plue.services["runners"].settings["stop_timeout"] == 10
    finally:
        app.plue.close()


def test_the_environment_may_name_the_old_plugin_in_a_plugins_list(tmp_path, plue_database_url):
    config = load_config(overrides=overrides_for_tests(tmp_path, plue_database_url),
                         environ={"PLUE_PLUGINS__DISABLED": "runner"})
    assert config.plugins["disabled"] == ["runner_agent"]
    assert config.deprecations == ["[plugins] disabled: 'runner' is now 'runner_agent' (plugin "
                                   "'runner' was renamed 'runner_agent'); the old name still "
                                   "works but is deprecated"]


def test_the_old_config_section_configures_the_renamed_plugin(tmp_path, plue_database_url):
    path = config_file(tmp_path, plue_database_url, runners={"stop_timeout": 3})
    config = load_config(path, environ={})
    assert config.deprecations == [f"config file {path}: [runners] is now [runner_pilot] (plugin "
                                   "'runners' was renamed 'runner_pilot'); the old name still "
                                   "works but is deprecated"]
    app = create_app(config)
    try:
        assert app.plue.config.section("runner_pilot")["stop_timeout"] == 3
        assert app.plue.services["runners"].settings["stop_timeout"] == 3
    finally:
        app.plue.close()


def test_the_old_environment_variables_configure_the_renamed_plugin(tmp_path, plue_database_url):
    config = load_config(overrides=overrides_for_tests(tmp_path, plue_database_url),
                         environ={"PLUE_RUNNERS__STOP_TIMEOUT": "7"})
    assert config.deprecations[0].startswith("environment: PLUE_RUNNERS__* is now "
                                             "PLUE_RUNNER_PILOT__*")
    app = create_app(config)
    try:
        assert app.plue.config.section("runner_pilot")["stop_timeout"] == 7
    finally:
        app.plue.close()


def test_precedence_holds_across_old_and_new_names(tmp_path, plue_database_url):
    # In one source the new name wins; across sources the environment beats the file,
    # whichever name each uses.
    path = config_file(tmp_path, plue_database_url, runners={"stop_timeout": 3, "pull_images": False},
                       runner_pilot={"stop_timeout": 4})
    config = load_config(path, environ={"PLUE_RUNNERS__DISK_QUOTA_MB": "50"})
    app = create_app(config)
    try:
        section = app.plue.config.section("runner_pilot")
        assert (section["stop_timeout"], section["pull_images"], section["disk_quota_mb"]) == (4, False, 50)
    finally:
        app.plue.close()
    overridden = load_config(path, environ={"PLUE_RUNNER_PILOT__STOP_TIMEOUT": "9"})
    app = create_app(overridden)
    try:
        assert app.plue.config.section("runner_pilot")["stop_timeout"] == 9
    finally:
        app.plue.close()


def test_a_bad_value_under_the_old_section_is_named_by_the_new_one(tmp_path, plue_database_url):
    config = load_config(config_file(tmp_path, plue_database_url, runners={"stop_timeout": -1}),
                         environ={})
    with pytest.raises(StartupError, match=r"runner_pilot\.stop_timeout"):
        create_app(config)


def test_the_app_logs_each_deprecation_once(tmp_path, plue_database_url, caplog):
    config = load_config(config_file(tmp_path, plue_database_url, runners={"stop_timeout": 3},
                                     plugins={"disabled": ["runner"]}), environ={})
    with caplog.at_level(logging.WARNING, logger="plue.app"):
        create_app(config).plue.close()
        create_app(config).plue.close()  # the same config again: already told
    logged = [r.getMessage() for r in caplog.records if r.name == "plue.app"]
    assert len(logged) == 2 and all(m.startswith("deprecated: ") for m in logged)
    assert any("[runners] is now [runner_pilot]" in m for m in logged)
    assert any("'runner' is now 'runner_agent'" in m for m in logged)


def test_a_config_without_old_names_has_no_deprecations(tmp_path, plue_database_url):
    told = []
    config = load_config(config_file(tmp_path, plue_database_url, runner_pilot={"stop_timeout": 3},
                                     plugins={"disabled": ["runner_agent"]}), environ={})
    config.report_deprecations(told.append)
    assert config.deprecations == [] and told == []


def test_the_cli_prints_the_deprecation_once_on_stderr(plue):
    plue.configure(runners={"stop_timeout": 3})
    shown = plue("config", "show")
    assert json.loads(shown.stdout)["runner_pilot"]["stop_timeout"] == 3
    warnings = [line for line in shown.stderr.splitlines() if "deprecated" in line]
    assert len(warnings) == 1, shown.stderr
    assert warnings[0].startswith("warning: config file ") and "[runners] is now [runner_pilot]" in warnings[0]


def old_sources(ctx):
    """The migration sources as Plue named them before the rename."""
    former = {new: old for old, new in RENAMED_PLUGINS.items()}
    return [(former.get(plugin, plugin), directory)
            for plugin, directory in ctx.plugins.migration_sources()]


def test_a_database_migrated_under_the_old_name_is_not_migrated_again(build_app):
    ctx = build_app(migrate_db=False).plue
    with connection(ctx.db):
        migrations.migrate(ctx.db, old_sources(ctx), report=lambda _: None)
        old_rows = AppliedMigration.select().where(AppliedMigration.plugin == "runners").count()
        assert old_rows >= 1
        # Read-only (what `plue serve` checks before starting): nothing is pending.
        assert migrations.pending(ctx.db, ctx.plugins.migration_sources()) == []
        told = []
        assert migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=told.append) == []
        assert told == [f"plugin 'runners' is now 'runner_pilot': its {old_rows} applied "
                        "migration(s) are recorded under the new name"]
        plugins = {row.plugin for row in AppliedMigration.select()}
        assert "runner_pilot" in plugins and "runners" not in plugins
        # The next migrate has nothing left to adopt.
        told.clear()
        assert migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=told.append) == []
        assert told == []
    assert_migrations_match_models(ctx)


def test_the_renamed_plugin_works_on_tables_migrated_under_its_old_name(build_app):
    ctx = build_app(migrate_db=False).plue
    with connection(ctx.db):
        migrations.migrate(ctx.db, old_sources(ctx), report=lambda _: None)
        migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=lambda _: None)
        # The fleet's tables answer under the new name (no rows yet: no node, no runner).
        assert ctx.services["runners"].instances_on_node(1) == []


def test_a_row_recorded_under_both_names_is_kept_once(build_app):
    ctx = build_app(migrate_db=False).plue
    with connection(ctx.db):
        migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=lambda _: None)
        for row in AppliedMigration.select().where(AppliedMigration.plugin == "runner_pilot"):
            AppliedMigration.create(plugin="runners", name=row.name)
        assert migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=lambda _: None) == []
        names = [row.name for row in AppliedMigration.select().where(
            AppliedMigration.plugin.in_(["runners", "runner_pilot"]))]
        assert names and len(names) == len(set(names))
