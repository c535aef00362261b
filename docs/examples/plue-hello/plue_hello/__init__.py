"""plue-hello: the example third-party Plue plugin walked through in docs/plugins.md."""
