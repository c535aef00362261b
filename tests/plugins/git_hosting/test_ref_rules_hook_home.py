"""git_hosting declares the hook it calls, ``protected_ref_rules``, and answers it for its own
tag protections: with the pulls plugin (the branches' implementer) disabled the hook still
exists and, without tag protections, nothing is protected; with pulls enabled its rules arrive
through a plain hook call."""

from __future__ import annotations

from types import SimpleNamespace

from plue_core.app import build_context
from plue_core.db import connection
from plue_core.testing import make_test_config, make_user, migrate

from plue_git_hosting import hookspecs, ref_rules


def context(tmp_path, **plugins):
    config = make_test_config(tmp_path, f"sqlite:///{tmp_path}/plue.db", **plugins)
    ctx = build_context(config)
    migrate(ctx)
    return ctx


def test_the_spec_is_git_hostings_and_without_pulls_nothing_is_protected(tmp_path):
    ctx = context(tmp_path, plugins={"disabled": ["pulls", "runnerhub", "security"]})
    assert "pulls" not in ctx.plugins.names
    caller = ctx.plugins.hook.protected_ref_rules
    assert caller.spec.namespace is hookspecs
    assert [impl.plugin_name for impl in caller.get_hookimpls()] == ["git_hosting"]
    with connection(ctx.db):
        pusher = make_user(ctx, "alice")
        # a plain call (no getattr): no tag protection, so no rule guards any ref
        assert ref_rules.rules_for(ctx, repository=SimpleNamespace(id=1), pusher=pusher) == []


def test_with_pulls_its_rules_arrive_through_the_hook(tmp_path):
    ctx = context(tmp_path)
    assert sorted(impl.plugin_name for impl in
                  ctx.plugins.hook.protected_ref_rules.get_hookimpls()) == ["git_hosting", "pulls"]
