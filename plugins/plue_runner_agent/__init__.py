"""The Plue runner agent (``plue runner``): registers with a Plue or Gitea server, takes jobs
over the runner.v1 protocol and runs them in Docker containers or on the host."""
