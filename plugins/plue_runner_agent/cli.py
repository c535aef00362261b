"""``plue runner register`` and ``plue runner daemon``."""

from __future__ import annotations

import logging
import pathlib
import socket
import sys

import click

from plue_runner_agent.job_image import DEFAULT_TAG

DEFAULT_STATE_FILE = ".runner"


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(1)


@click.group()
def runner() -> None:
    """The runner agent: register with a Plue (or Gitea) server and run its jobs."""


@runner.command()
@click.option("--url", required=True, envvar="PLUE_RUNNER_URL",
              help="The server's base URL, e.g. http://127.0.0.1:8000")
@click.option("--token", required=True, envvar="PLUE_RUNNER_TOKEN",
              help="A registration token (from .../actions/runners/registration-token).")
@click.option("--name", default=socket.gethostname, show_default="this host's name",
              help="The runner's name as the server lists it.")
@click.option("--labels", required=True, envvar="PLUE_RUNNER_LABELS",
              help="Comma-separated labels: name:docker://IMAGE (jobs in containers) or "
                   "name:host (jobs on this machine).")
@click.option("--ephemeral", is_flag=True, help="Take one job, then stop (the server deletes "
              "the runner after it).")
@click.option("--file", "state_file", default=DEFAULT_STATE_FILE, envvar="PLUE_RUNNER_FILE",
              show_default=True, type=click.Path(dir_okay=False),
              help="Where to keep the runner's credentials.")
def register(url: str, token: str, name: str, labels: str, ephemeral: bool,
             state_file: str) -> None:
    """Register this runner and write its credentials to --file (mode 0600)."""
    from plue_runner_agent.client import ConnectError, RunnerClient
    from plue_runner_agent.config import RunnerState
    from plue_runner_agent.labels import LabelError, parse_labels

    path = pathlib.Path(state_file)
    if path.exists():
        _fail(f"{path} exists: this runner is already registered (delete the file to "
              "register again)")
    try:
        parsed = parse_labels(labels)
    except LabelError as exc:
        _fail(str(exc))
    client = RunnerClient(url)
    try:
        client.ping()
        info = client.register(name, token, [label.name for label in parsed], ephemeral=ephemeral)
    except ConnectError as exc:
        if exc.code == "unimplemented":
            _fail(f"{url} does not speak the runner protocol (no /api/actions/ping.v1 endpoint)")
        _fail(f"registration failed: {exc.message} ({exc.code})")
    if not info.uuid or not info.token:
        _fail("the server's answer lacks the runner's uuid or token")
    RunnerState(address=url.rstrip("/"), uuid=info.uuid, token=info.token,
                name=info.name or name, labels=[str(label) for label in parsed], id=info.id,
                ephemeral=ephemeral).save(path)
    click.echo(f"Runner {info.name or name!r} registered (id {info.id}); credentials in {path}")


@runner.command()
@click.option("--file", "state_file", default=DEFAULT_STATE_FILE, envvar="PLUE_RUNNER_FILE",
              show_default=True, type=click.Path(dir_okay=False))
@click.option("--capacity", type=click.IntRange(1, 256), default=1, show_default=True,
              envvar="PLUE_RUNNER_CAPACITY", help="Jobs run at the same time.")
@click.option("--job-niceness", type=click.IntRange(0, 19), default=10, show_default=True,
              envvar="PLUE_RUNNER_JOB_NICENESS",
              help="How far below the daemon's CPU priority jobs run (0: the same).")
@click.option("--workdir", type=click.Path(file_okay=False), envvar="PLUE_RUNNER_WORKDIR",
              help="Where job workspaces live (default ~/.cache/plue-runner).")
@click.option("--fetch-timeout", type=float, default=10.0, show_default=True,
              help="Seconds the server may hold an idle FetchTask (long-poll).")
@click.option("--fetch-interval", type=float, default=2.0, show_default=True,
              help="Pause after an empty answer from a server that does not long-poll.")
@click.option("--fetch-interval-max", type=float, default=10.0, show_default=True)
@click.option("--job-timeout", type=float, default=3 * 3600.0, show_default=True,
              help="Seconds any job may run, whatever its timeout-minutes says.")
@click.option("--shutdown-timeout", type=float, default=0.0, show_default=True,
              help="On SIGTERM, seconds to let running jobs finish before cancelling them "
                   "(0: as long as they take).")
@click.option("--env", "extra_env", multiple=True, metavar="NAME=VALUE",
              help="An environment variable for every job (repeatable).")
@click.option("--docker-network", default="bridge", show_default=True,
              help="Network mode of job containers (host reaches a server on 127.0.0.1).")
@click.option("--docker-memory", help="Memory limit of job containers, e.g. 2g.")
@click.option("--docker-cpus", type=float, help="CPU limit of job containers, e.g. 1.5.")
@click.option("--docker-pids-limit", type=int, help="Process limit of job containers.")
@click.option("--docker-host", envvar="DOCKER_HOST", help="The Docker engine to use.")
@click.option("--docker-privileged", is_flag=True, help="Run job containers privileged.")
@click.option("--once", is_flag=True, help="Run one job, then exit.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"]))
def daemon(state_file, capacity, job_niceness, workdir, fetch_timeout, fetch_interval,
           fetch_interval_max, job_timeout, shutdown_timeout, extra_env, docker_network,
           docker_memory, docker_cpus, docker_pids_limit, docker_host, docker_privileged, once,
           log_level) -> None:
    """Take jobs from the server and run them until SIGTERM/SIGINT (a second signal cancels
    the running jobs)."""
    from plue_runner_agent.config import (
        DockerSettings,
        RunnerSettings,
        RunnerState,
        StateError,
        StateLock,
    )
    from plue_runner_agent.daemon import RunnerDaemon
    from plue_runner_agent.labels import LabelError

    logging.basicConfig(level=log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    env = {}
    for item in extra_env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            _fail(f"--env {item!r}: expected NAME=VALUE")
        env[key] = value
    settings = RunnerSettings(
        capacity=capacity, job_niceness=job_niceness, fetch_timeout=fetch_timeout,
        fetch_interval=fetch_interval, fetch_interval_max=fetch_interval_max, job_timeout=job_timeout,
        shutdown_timeout=shutdown_timeout, env=env,
        docker=DockerSettings(network=docker_network, memory=docker_memory, cpus=docker_cpus,
                              pids_limit=docker_pids_limit, docker_host=docker_host,
                              privileged=docker_privileged))
    if workdir:
        settings.workdir = pathlib.Path(workdir).resolve()
    try:
        state = RunnerState.load(state_file)
        with StateLock(state_file):
            runner_daemon = RunnerDaemon(state, settings, once=once)
            runner_daemon.install_signal_handlers()
            code = runner_daemon.run()
    except (StateError, LabelError) as exc:
        _fail(str(exc))
    sys.exit(code)


@runner.command()
@click.option("--tag", default=DEFAULT_TAG, show_default=True,
              help="The image's name, as labels name it (name:docker://TAG).")
@click.option("--busybox", "busybox_path", type=click.Path(dir_okay=False),
              help="A statically linked busybox (default /bin/busybox or /usr/bin/busybox).")
@click.option("--docker-host", envvar="DOCKER_HOST", help="The Docker engine to use.")
def image(tag: str, busybox_path: str | None, docker_host: str | None) -> None:
    """Build a tiny job image (busybox: /bin/sh, tail and the usual tools) with `docker
    import`, pulling nothing; replaces an older image of the same tag."""
    from plue_runner_agent.backends.base import BackendError
    from plue_runner_agent.backends.docker import docker_client
    from plue_runner_agent.config import DockerSettings
    from plue_runner_agent.job_image import ImageError, build_job_image

    try:
        image_id = build_job_image(docker_client(DockerSettings(docker_host=docker_host)), tag,
                                   busybox_path)
    except (BackendError, ImageError) as exc:
        _fail(str(exc))
    click.echo(f"Built {tag} ({image_id[:19]}); use it with labels like "
               f"'ubuntu-latest:docker://{tag}'")
