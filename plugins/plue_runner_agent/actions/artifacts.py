"""``actions/upload-artifact`` and ``actions/download-artifact`` done natively: files are
zipped on the runner's side (they are reachable through the workspace mount) and sent to the
server's artifact endpoint with the task token; downloads are unzipped into the workspace.

upload inputs: ``name`` (default ``artifact``), ``path`` (lines of files, directories or
globs, ``!`` to exclude), ``if-no-files-found`` (warn, error or ignore), ``retention-days``.
download inputs: ``name`` (without it, every artifact of the run, each into its own
directory), ``path``.
"""

from __future__ import annotations

import glob
import io
import os
import pathlib
import tempfile
import zipfile

import requests

from plue_runner_agent.actions import ActionContext, ActionError
from plue_runner_agent.actions.artifact_api import (
    artifact_list_url,
    artifact_url,
    auth_headers,
)

_WILDCARDS = set("*?[")
TIMEOUT = (10.0, 300.0)


def upload_artifact(action: ActionContext) -> None:
    name = action.input("name", "artifact")
    _check_name(name)
    patterns = [line.strip() for line in action.input("path").splitlines() if line.strip()]
    if not patterns:
        raise ActionError("upload-artifact: input path is required")
    if_missing = action.input("if-no-files-found", "warn").lower()
    if if_missing not in ("warn", "error", "ignore"):
        raise ActionError("upload-artifact: if-no-files-found must be warn, error or ignore")
    files, root = _collect(action, patterns)
    if not files:
        message = f"No files were found with the provided path: {', '.join(patterns)}. " \
                  "No artifacts will be uploaded."
        if if_missing == "error":
            raise ActionError(message)
        if if_missing == "warn":
            action.log(f"##[warning]{message}")
        return
    action.log(f"With the provided path, there will be {len(files)} file(s) uploaded")
    with tempfile.TemporaryFile() as archive:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in files:
                bundle.write(path, path.relative_to(root).as_posix())
        size = archive.tell()
        archive.seek(0)
        params = {}
        if action.input("retention-days"):
            params["retention_days"] = action.input("retention-days")
        url = artifact_url(action.server_address, action.github.get("run_id", ""), name)
        try:
            reply = requests.put(url, data=archive, params=params, timeout=TIMEOUT,
                                 headers={**auth_headers(action.token),
                                          "Content-Type": "application/zip",
                                          "Content-Length": str(size)})
        except requests.RequestException as exc:
            raise ActionError(f"upload-artifact: cannot reach {url}: {exc}") from None
    if reply.status_code >= 300:
        raise ActionError(f"upload-artifact: the server refused the artifact {name!r} "
                          f"(HTTP {reply.status_code}): {_message(reply)}")
    details = _json(reply)
    if details.get("id") is not None:
        action.outputs["artifact-id"] = str(details["id"])
    if details.get("url"):
        action.outputs["artifact-url"] = str(details["url"])
    action.log(f"Artifact {name} has been uploaded ({size} bytes zipped)")


def download_artifact(action: ActionContext) -> None:
    name = action.input("name")
    target = _inside_workspace(action, action.input("path", "."), "download-artifact: path")
    run_id = action.github.get("run_id", "")
    if name:
        _check_name(name)
        count = _download_one(action, run_id, name, target)
        action.log(f"Artifact {name} was downloaded to {action.environment.to_job_path(target)} "
                   f"({count} file(s))")
    else:
        names = [item.get("name") for item in _get(action, artifact_list_url(
            action.server_address, run_id)).json().get("artifacts", [])]
        for each in names:
            _check_name(each)
            count = _download_one(action, run_id, each, target / each)
            action.log(f"Artifact {each} was downloaded ({count} file(s))")
        action.log(f"{len(names)} artifact(s) downloaded")
    action.outputs["download-path"] = action.environment.to_job_path(target)


def _get(action: ActionContext, url: str) -> requests.Response:
    try:
        reply = requests.get(url, headers=auth_headers(action.token), timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise ActionError(f"download-artifact: cannot reach {url}: {exc}") from None
    if reply.status_code == 404:
        raise ActionError(f"download-artifact: not found: {url}")
    if reply.status_code >= 300:
        raise ActionError(f"download-artifact: HTTP {reply.status_code}: {_message(reply)}")
    return reply


def _download_one(action: ActionContext, run_id: str, name: str, target: pathlib.Path) -> int:
    """Unzip one artifact into ``target``; returns how many files it held."""
    reply = _get(action, artifact_url(action.server_address, run_id, name))
    try:
        bundle = zipfile.ZipFile(io.BytesIO(reply.content))
    except zipfile.BadZipFile:
        raise ActionError(f"download-artifact: the artifact {name!r} is not a zip file") from None
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    count = 0
    with bundle:
        for member in bundle.infolist():
            destination = (target / member.filename).resolve()
            if root not in destination.parents:
                raise ActionError(f"download-artifact: refusing {member.filename!r}, which "
                                  "points outside the destination")
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, open(destination, "wb") as sink:
                while chunk := source.read(1024 * 1024):
                    sink.write(chunk)
            count += 1
    return count


def _check_name(name: str) -> None:
    bad = set('"<>|*?\r\n\\/:') & set(name)
    if bad:
        raise ActionError(f"artifact name {name!r} contains the invalid character(s) "
                          f"{''.join(sorted(bad))!r}")


def _inside_workspace(action: ActionContext, path: str, what: str) -> pathlib.Path:
    """Host path of a job path (relative to the workspace, or absolute in a shared dir)."""
    environment = action.environment
    if os.path.isabs(path):
        host = environment.to_host_path(path)
        if host is None:
            if environment.workspace == str(environment.host_workspace):  # host backend
                return pathlib.Path(path)
            raise ActionError(f"{what} {path!r} is outside the workspace and the runner "
                              f"temp directory, which are the paths shared with the job")
        return host
    return environment.host_workspace / path


def _collect(action: ActionContext, patterns: list[str]) -> tuple[list[pathlib.Path], pathlib.Path]:
    """Files matched by the include patterns minus the excluded ones, and the directory they
    are stored relative to (the least common ancestor of the search paths, as GitHub does)."""
    included: dict[pathlib.Path, None] = {}
    excluded: set[pathlib.Path] = set()
    roots: list[pathlib.Path] = []
    for pattern in patterns:
        exclude = pattern.startswith("!")
        text = pattern[1:].strip() if exclude else pattern
        host = _inside_workspace(action, text, "upload-artifact: path")
        matches = _expand(host)
        if exclude:
            excluded.update(matches)
            continue
        roots.append(_search_root(host))
        for path in matches:
            included.setdefault(path)
    files = [path for path in included if path not in excluded]
    if not files:
        return [], action.environment.host_workspace
    root = pathlib.Path(os.path.commonpath([str(r) for r in roots]))
    return sorted(files), root


def _expand(pattern: pathlib.Path) -> list[pathlib.Path]:
    text = str(pattern)
    paths = ([pathlib.Path(p) for p in glob.glob(text, recursive=True)]
             if _WILDCARDS & set(text) else ([pattern] if pattern.exists() else []))
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            files.append(path)
    return files


def _search_root(pattern: pathlib.Path) -> pathlib.Path:
    parts = pattern.parts
    for index, part in enumerate(parts):
        if _WILDCARDS & set(part):
            return pathlib.Path(*parts[:index])
    return pattern if pattern.is_dir() else pattern.parent


def _json(reply: requests.Response) -> dict:
    try:
        body = reply.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _message(reply: requests.Response) -> str:
    body = _json(reply)
    return str(body.get("message") or body.get("error") or reply.text[:200])
