"""A separate scheduler host: ``python -m plue_hosts.scheduler`` (the same as ``plue scheduler``)."""
from plue_core.cli import main

if __name__ == "__main__":
    main(["scheduler"])
