import pytest

pytest_plugins = ["plue_core.testing"]

# Fixture scopes shared by the tests of one module: built once per xdist worker that runs any of them.
SHARED_SCOPES = ("module", "class", "package")


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items):
    """Under ``--dist loadgroup`` (tools/run-tests.sh), every test of a module whose tests use a
    module-scoped fixture (a live server, a seeded app) goes to the same xdist worker, which
    builds that fixture once; split over two workers it was built twice. Other tests are
    spread one by one as with ``--dist load``. Decided from each test's fixture closure."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None or item.get_closest_marker("xdist_group"):
            continue
        if any(definition.scope in SHARED_SCOPES
               for definitions in info.name2fixturedefs.values() for definition in definitions):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def pytest_terminal_summary(terminalreporter):
    """The lines tests recorded with ``record_property("summary", line)`` (the authorization
    matrix's counts), shown at the end of every run, xdist workers' included."""
    lines = [value for reports in terminalreporter.stats.values() for report in reports
             if getattr(report, "when", None) == "call"
             for name, value in getattr(report, "user_properties", ()) if name == "summary"]
    if lines:
        terminalreporter.write_sep("-", "summary")
        for line in lines:
            terminalreporter.write_line(line)
