pytest_plugins = ["plue_core.testing"]


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
