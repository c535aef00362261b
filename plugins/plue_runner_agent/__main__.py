"""``python -m plue_runner_agent register|daemon``: the same commands as ``plue runner``,
without loading the server's plugins (for a machine that only runs jobs)."""

from plue_runner_agent.cli import runner

if __name__ == "__main__":
    runner(prog_name="plue runner")
