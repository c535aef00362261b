"""The contract between ``bench/run_all.py`` (``make bench``) and the bench modules it runs.

A bench module is listed in ``run_all.BENCH_MODULES`` and exposes ``rows() -> list[Row]``: it
starts what it needs (servers, a throwaway PostgreSQL cluster through ``database_url``),
measures each target next to its same-run baseline, stops everything and returns one ``Row``
per target and database. Settings come from the environment, so ``rows()`` takes no argument:
``databases()``, ``seconds()`` and ``rounds()`` read them. bench/README.md says the same for the next module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pathlib
import subprocess
import tempfile
import urllib.parse
from typing import Iterator

ROOT = pathlib.Path(__file__).resolve().parents[1]


@dataclasses.dataclass
class Row:
    """One target (of issues 12-16) and what this run measured for it."""

    target: str            # what is measured and the goal: "repo GET (token) ≥ 0.25× bare Falcon"
    measured: str          # this run's figure: "0.31× (1,180 req/s)"
    baseline: str = ""     # the same-run baseline it is compared with: "bare 3,800 req/s"
    met: bool | None = None  # None: a figure with no pass/fail (context for the others)
    database: str = ""     # "SQLite" / "PostgreSQL" / "" when it does not apply


def databases() -> list[str]:
    """``PLUE_BENCH_DATABASES``: ``sqlite``, ``postgresql`` or both (comma-separated; default
    both when PostgreSQL's server binaries are installed)."""
    wanted = os.environ.get("PLUE_BENCH_DATABASES")
    if wanted:
        return [name.strip() for name in wanted.split(",") if name.strip()]
    has_postgres = any(pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return ["sqlite", "postgresql"] if has_postgres else ["sqlite"]


def seconds() -> float:
    """``PLUE_BENCH_SECONDS``: how long each load of a module lasts (default 4)."""
    return float(os.environ.get("PLUE_BENCH_SECONDS", "4"))


def rounds() -> int:
    """``PLUE_BENCH_ROUNDS``: how many times each load is repeated, interleaved with its
    baselines; the medians are reported (default 2; more evens out a machine whose load swings)."""
    return int(os.environ.get("PLUE_BENCH_ROUNDS", "2"))


def label(database: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(database, database)


@contextlib.contextmanager
def database_url(database: str, tmp: pathlib.Path) -> Iterator[str]:
    """A database for one run: a file in ``tmp`` or a throwaway PostgreSQL cluster."""
    if database == "sqlite":
        yield f"sqlite:///{tmp}/plue.db"
        return
    from plue_core.testing import free_port

    data, port = tmp / "pg", free_port()
    os.chmod(tmp, 0o755)  # the cluster may run as the postgres user
    cluster = ROOT / "tools" / "postgres-test-cluster.sh"
    url = subprocess.run([str(cluster), "start", str(data), str(port)], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([str(cluster), "stop", str(data)], check=False, capture_output=True)


def socket_url(url: str) -> str | None:
    """The same PostgreSQL database through the server's Unix socket, when the server is on
    this machine and its socket is in a directory this finds (the throwaway cluster's is
    /tmp, tools/postgres-test-cluster.sh); None otherwise."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql") or parsed.hostname not in (
            "127.0.0.1", "localhost", "::1"):
        return None
    port = parsed.port or 5432
    directory = next((d for d in ("/tmp", "/run/postgresql", "/var/run/postgresql")
                      if pathlib.Path(d, f".s.PGSQL.{port}").exists()), None)
    if directory is None:
        return None
    user = parsed.netloc.rsplit("@", 1)[0] + "@" if "@" in parsed.netloc else ""
    return f"{parsed.scheme}://{user}{parsed.path}?host={directory}&port={port}"


@contextlib.contextmanager
def scratch_database(database: str) -> Iterator[str]:
    """``database_url`` in a temporary directory of its own, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="plue-bench-db-", ignore_cleanup_errors=True) as tmp, \
            database_url(database, pathlib.Path(tmp)) as url:
        yield url


@contextlib.contextmanager
def database_server(database: str) -> Iterator[str | None]:
    """For a module that makes its own fresh databases (``plue_core.testing.fresh_database_url``):
    None for SQLite, the URL of a throwaway PostgreSQL cluster for ``postgresql``."""
    if database == "sqlite":
        yield None
        return
    with scratch_database(database) as url:
        yield url


def url_label(url: str | None) -> str:
    """``label`` of a database URL a script was given (``--database-url``; None is SQLite)."""
    return "PostgreSQL" if url and url.startswith("postgres") else "SQLite"


def print_table(rows: list[Row]) -> None:
    """The table ``make bench`` prints; each module's ``main()`` prints its rows with it too."""
    headers = ("target", "database", "measured", "same-run baseline", "met")
    cells = [(row.target, row.database, row.measured, row.baseline,
              {True: "yes", False: "NO", None: "-"}[row.met]) for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for cell in cells:
        print("  ".join(c.ljust(w) for c, w in zip(cell, widths)), flush=True)
