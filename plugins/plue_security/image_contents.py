"""What is installed in a local image, read through the Docker engine without running it:
a container is created (never started), files are copied out with ``get_archive`` and the
container is removed. Sources: dpkg's status file, apk's installed database and, for
busybox-style images without a package database, the busybox binary's version banner."""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import tarfile

from plue_core.errors import NotFound, PlueError

DPKG_STATUS = "/var/lib/dpkg/status"
APK_INSTALLED = "/lib/apk/db/installed"
BUSYBOX_PATHS = ("/bin/busybox", "/usr/bin/busybox", "/sbin/busybox")
_BUSYBOX_BANNER = re.compile(rb"BusyBox v(\d+(?:\.\d+)+)")
MAX_FILE_BYTES = 64 * 1024 * 1024


class ServiceUnavailable(PlueError):
    status = 503
    code = "SERVICE_UNAVAILABLE"


@dataclasses.dataclass(frozen=True)
class InstalledPackage:
    ecosystem: str      # OSV ecosystem: Debian, Alpine, or BusyBox for a bare binary
    name: str           # binary package name (as the package database lists it)
    version: str
    source: str = ""    # Debian source package, which Debian advisories name


@dataclasses.dataclass(frozen=True)
class ImageContents:
    image_id: str
    packages: list[InstalledPackage]


def engine(settings: dict):
    """A Docker client for the configured engine; 503 with a way out when it does not answer.
    The Docker SDK (and requests under it) is imported here, by the request that scans, not
    by every process that builds the app (docs/serving.md, Memory)."""
    import docker
    import docker.errors
    import requests.exceptions

    try:
        client = docker.DockerClient(base_url=settings["docker_url"],
                                     timeout=settings["docker_timeout"]) \
            if settings["docker_url"] else docker.from_env(timeout=settings["docker_timeout"])
        client.ping()
        return client
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise ServiceUnavailable(
            f"the Docker engine is unreachable ({exc}); start dockerd or set "
            "[security] docker_url (or DOCKER_HOST) to a reachable engine") from None


def read_image(client, image_name: str) -> ImageContents:
    """The packages installed in ``image_name`` (a local image; nothing is pulled)."""
    import docker.errors  # imported by engine(), which made ``client``
    import requests.exceptions

    try:
        image = client.images.get(image_name)
    except docker.errors.ImageNotFound:
        raise NotFound(f"image {image_name!r} does not exist on this Docker engine; build, "
                       "load or pull it there first (scans never pull)") from None
    except docker.errors.APIError as exc:
        raise ServiceUnavailable(f"the Docker engine refused to inspect {image_name!r}: {exc}") from None
    try:
        return ImageContents(image.id, _read_packages(client, image))
    except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
        raise ServiceUnavailable(f"the Docker engine failed while reading {image_name!r}: "
                                 f"{exc}; check the engine (docker info) and retry") from None


def _read_packages(client, image) -> list[InstalledPackage]:
    """From a created, never started container, removed afterwards."""
    container = client.containers.create(image.id, command=["plue-security-scan"],
                                         entrypoint=[], network_disabled=True)
    try:
        packages = []
        status = _read_file(container, DPKG_STATUS)
        if status is not None:
            packages += parse_dpkg_status(status.decode("utf-8", "replace"))
        installed = _read_file(container, APK_INSTALLED)
        if installed is not None:
            packages += parse_apk_installed(installed.decode("utf-8", "replace"))
        if not any(p.name in ("busybox", "busybox-static") for p in packages):
            packages += _busybox_binary(container)
        return packages
    finally:
        container.remove(force=True)


def parse_dpkg_status(text: str) -> list[InstalledPackage]:
    """Installed packages of a dpkg status file (``Status: install ok installed`` only)."""
    packages = []
    for stanza in text.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line and not line[0].isspace() and ":" in line:
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
        if fields.get("Package") and fields.get("Version") \
                and fields.get("Status", "").endswith(" installed"):
            source = fields.get("Source", fields["Package"]).split(" ")[0]
            packages.append(InstalledPackage("Debian", fields["Package"], fields["Version"], source))
    return packages


def parse_apk_installed(text: str) -> list[InstalledPackage]:
    """Installed packages of apk's database (``P:`` name, ``V:`` version, ``o:`` origin)."""
    packages = []
    for stanza in text.split("\n\n"):
        fields = dict(line.split(":", 1) for line in stanza.splitlines() if len(line) > 2 and line[1] == ":")
        if fields.get("P") and fields.get("V"):
            packages.append(InstalledPackage("Alpine", fields["P"], fields["V"], fields.get("o", fields["P"])))
    return packages


def _busybox_binary(container) -> list[InstalledPackage]:
    for path in BUSYBOX_PATHS:
        content = _read_file(container, path)
        if content is not None:
            match = _BUSYBOX_BANNER.search(content)
            if match:
                version = match.group(1).decode()
                return [InstalledPackage("BusyBox", "busybox", version, "busybox")]
    return []


def _read_file(container, path: str, hops: int = 5) -> bytes | None:
    """The file's bytes (following symbolic links inside the image), None when absent."""
    import docker.errors  # imported by engine(), which made ``container``'s client

    try:
        stream, _ = container.get_archive(path)
    except docker.errors.NotFound:
        return None
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as archive:
        member = archive.next()
        if member is None:
            return None
        if member.issym() and hops:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), member.linkname))
            return _read_file(container, target, hops - 1)
        if not member.isfile() or member.size > MAX_FILE_BYTES:
            return None
        return archive.extractfile(member).read()
