"""RunnerHub's Falcon resources: thin, they parse, call a service function and answer."""
