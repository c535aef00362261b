pytest_plugins = ["plue_core.testing"]
