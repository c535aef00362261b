"""Running one task: the job's steps, their environment and expressions, file and workflow
commands, masking, and reporting logs and states back over runner.v1."""
