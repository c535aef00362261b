"""``actions/checkout`` done natively: ``git`` on the runner's machine fetches from the server
over smart HTTP, authenticated with the task token, into the job's workspace (which a job
container sees through its mount, so the image needs no git).

Inputs honoured: ``repository``, ``ref``, ``token``, ``path``, ``fetch-depth`` (0 = all
history), ``clean`` and ``persist-credentials``; the step outputs ``ref`` and ``commit``.
"""

from __future__ import annotations

import base64
import os
import pathlib
import re
import shutil
import subprocess

from plue_runner_agent.actions import ActionContext, ActionError

_SHA = re.compile(r"^[0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?$")


def run_checkout(action: ActionContext) -> None:
    github = action.github
    repository = action.input("repository", github.get("repository") or "")
    if not repository or repository.count("/") != 1:
        raise ActionError(f"checkout: input repository must be owner/name, got {repository!r}")
    token = action.input("token", action.token)
    server = (github.get("server_url") or action.server_address).rstrip("/")
    url = f"{server}/{repository}.git"
    target = _target_directory(action)
    depth = _fetch_depth(action.input("fetch-depth", "1"))
    git = Git(action, target, token)

    ref = action.input("ref")
    sha = ""
    if not ref and repository.lower() == str(github.get("repository", "")).lower():
        ref, sha = github.get("ref") or "", github.get("sha") or ""
    if _SHA.match(ref or ""):
        ref, sha = "", ref

    action.log(f"Syncing repository: {repository}")
    if target.exists() and any(target.iterdir()):
        if action.flag("clean", True):
            action.log(f"Deleting the contents of {action.environment.to_job_path(target)}")
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    target.mkdir(parents=True, exist_ok=True)
    git.run("init", "-q", ".")
    git.run("remote", "add", "origin", url)
    if ref and not ref.startswith("refs/"):
        ref = git.resolve_remote_ref(ref)
    elif not ref and not sha:
        ref = git.resolve_remote_ref("HEAD")
    depth_args = [f"--depth={depth}"] if depth else []
    fetch = ["-c", "protocol.version=2", "fetch", "--no-tags", "--prune",
             "--no-recurse-submodules", "--progress", *depth_args, "origin"]
    local_ref = _local_ref(ref) if ref else ""
    if ref:
        git.run(*fetch, f"+{ref}:{local_ref}")
    if sha and not git.has_commit(sha):
        # The ref moved on since the run started: ask for the commit itself.
        if git.run(*fetch, sha, check=False) != 0 or not git.has_commit(sha):
            if depth:
                git.run(*fetch[:-2], "--unshallow", "origin", check=False)
            if not git.has_commit(sha):
                raise ActionError(f"checkout: commit {sha} cannot be fetched from {url}")
    if ref.startswith("refs/heads/"):
        branch = ref[len("refs/heads/"):]
        git.run("checkout", "--progress", "--force", "-B", branch, sha or local_ref)
    else:
        git.run("checkout", "--progress", "--force", "--detach", sha or local_ref)
    if action.flag("persist-credentials", True):
        git.run("config", "--local", f"http.{server}/.extraheader", git.auth_header, quiet=True)
    commit = git.output("rev-parse", "HEAD")
    git.run("log", "-1", "--format=HEAD is now at %h %s")
    action.outputs.update(ref=ref or sha, commit=commit)


def _target_directory(action: ActionContext) -> pathlib.Path:
    path = action.input("path", ".")
    workspace = action.environment.host_workspace.resolve()
    target = (workspace / path).resolve() if not os.path.isabs(path) else None
    if target is None and (host := action.environment.to_host_path(path)) is not None:
        target = host.resolve()
    if target is None or not (target == workspace or workspace in target.parents):
        raise ActionError(f"checkout: path {path!r} must be inside the workspace "
                          f"{action.environment.workspace}")
    return target


def _fetch_depth(text: str) -> int:
    try:
        depth = int(text)
    except ValueError:
        raise ActionError(f"checkout: fetch-depth must be a whole number, got {text!r}") from None
    if depth < 0:
        raise ActionError("checkout: fetch-depth must be 0 (all history) or more")
    return depth


def _local_ref(ref: str) -> str:
    if ref.startswith("refs/heads/"):
        return f"refs/remotes/origin/{ref[len('refs/heads/'):]}"
    if ref.startswith("refs/tags/"):
        return ref
    return f"refs/remotes/origin/{ref[len('refs/'):]}" if ref.startswith("refs/") else ref


class Git:
    """``git`` in the checkout directory with the token in the environment (not on the
    command line, where other users could read it)."""

    def __init__(self, action: ActionContext, directory: pathlib.Path, token: str):
        self.action = action
        self.directory = directory
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        self.auth_header = f"AUTHORIZATION: basic {basic}"
        action.mask(token)
        action.mask(basic)
        self.env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never",
                    "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraHeader",
                    "GIT_CONFIG_VALUE_0": self.auth_header if token else ""}
        if shutil.which("git") is None:
            raise ActionError("checkout: git is not installed on the runner's machine")

    def run(self, *args: str, check: bool = True, quiet: bool = False) -> int:
        if not quiet:
            self.action.log(f"[command]git {' '.join(args)}")
        process = subprocess.Popen(["git", *args], cwd=self.directory, env=self.env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            line = line.rsplit("\r", 1)[-1]
            if line:
                self.action.log(line)
        code = process.wait()
        if check and code != 0:
            raise ActionError(f"checkout: git {args[0] if args[0] != '-c' else args[2]} "
                              f"failed with exit code {code}")
        return code

    def output(self, *args: str) -> str:
        result = subprocess.run(["git", *args], cwd=self.directory, env=self.env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise ActionError(f"checkout: git {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout.strip()

    def has_commit(self, sha: str) -> bool:
        return subprocess.run(["git", "cat-file", "-e", f"{sha}^{{commit}}"], cwd=self.directory,
                              env=self.env, capture_output=True).returncode == 0

    def resolve_remote_ref(self, name: str) -> str:
        """The full ref a short name (branch, tag or HEAD) stands for on the server."""
        result = subprocess.run(["git", "ls-remote", "--symref", "origin", name],
                                cwd=self.directory, env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise ActionError(f"checkout: cannot list the refs of the repository: "
                              f"{result.stderr.strip()}")
        refs = []
        for line in result.stdout.splitlines():
            if line.startswith("ref: ") and name == "HEAD":
                return line[5:].split("\t")[0]
            parts = line.split("\t")
            if len(parts) == 2:
                refs.append(parts[1])
        for candidate in (f"refs/heads/{name}", f"refs/tags/{name}", name):
            if candidate in refs:
                return candidate
        raise ActionError(f"checkout: the ref {name!r} was not found in the repository")
