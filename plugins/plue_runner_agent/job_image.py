"""``plue runner image``: a tiny job image built on this machine, with nothing pulled.

A job container needs ``/bin/sh`` and ``tail`` (its entry point is ``tail -f /dev/null``) and
the usual tools a step script calls; a statically linked busybox gives all of them in one
file. The image is a root file system of that busybox, its applets as symlinks, ``/etc/passwd``
and ``/etc/group`` and a sticky ``/tmp``, imported with the Docker API (``docker import``): it
works where no registry is reachable.
"""

from __future__ import annotations

import io
import json
import pathlib
import subprocess
import tarfile
import time

DEFAULT_TAG = "plue-busybox:latest"
BUSYBOX_CANDIDATES = ("/bin/busybox", "/usr/bin/busybox")
PT_INTERP = 3  # the ELF program header naming a dynamic loader


class ImageError(Exception):
    """Why the image cannot be built, in words a person can act on."""


def find_busybox(path: str | None = None) -> pathlib.Path:
    """The static busybox to put in the image: ``path`` or the first candidate present."""
    candidates = [path] if path else list(BUSYBOX_CANDIDATES)
    for candidate in candidates:
        found = pathlib.Path(candidate)
        if found.is_file():
            if not is_static_elf(found.read_bytes()):
                raise ImageError(f"{found} is dynamically linked, so it cannot run alone in an "
                                 "image; install a static one (Debian/Ubuntu: apt-get install "
                                 "busybox-static) or pass --busybox")
            return found
    raise ImageError(f"no busybox at {', '.join(candidates)}; install a statically linked one "
                     "(Debian/Ubuntu: apt-get install busybox-static) or pass --busybox")


def is_static_elf(data: bytes) -> bool:
    """True for an ELF executable without an interpreter (statically linked)."""
    if data[:4] != b"\x7fELF" or data[4] not in (1, 2):
        return False
    wide, order = data[4] == 2, "little" if data[5] == 1 else "big"

    def number(offset: int, size: int) -> int:
        return int.from_bytes(data[offset:offset + size], order)

    table, entry_size, count = ((number(32, 8), number(54, 2), number(56, 2)) if wide
                                else (number(28, 4), number(42, 2), number(44, 2)))
    return all(number(table + i * entry_size, 4) != PT_INTERP for i in range(count))


def root_filesystem(busybox: pathlib.Path) -> bytes:
    """The image's file system as a tar archive."""
    applets = subprocess.run([str(busybox), "--list"], capture_output=True, text=True,
                             check=True, timeout=30).stdout.split()
    buffer = io.BytesIO()
    now = int(time.time())
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        def add(name: str, *, kind=tarfile.REGTYPE, mode=0o644, data=b"", target=""):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime, info.linkname = kind, mode, now, target
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)

        for directory, mode in (("bin", 0o755), ("usr", 0o755), ("usr/bin", 0o755),
                                ("etc", 0o755), ("root", 0o700), ("workspace", 0o755),
                                ("tmp", 0o1777)):
            add(directory, kind=tarfile.DIRTYPE, mode=mode)
        add("bin/busybox", mode=0o755, data=busybox.read_bytes())
        for applet in applets:
            if applet != "busybox":
                add(f"bin/{applet}", kind=tarfile.SYMTYPE, mode=0o777, target="busybox")
        add("usr/bin/env", kind=tarfile.SYMTYPE, mode=0o777, target="/bin/busybox")  # shebangs
        add("etc/passwd", data=b"root:x:0:0:root:/root:/bin/sh\n"
                               b"nobody:x:65534:65534:nobody:/:/bin/false\n")
        add("etc/group", data=b"root:x:0:\nnogroup:x:65534:\n")
    return buffer.getvalue()


def build_job_image(client, tag: str = DEFAULT_TAG, busybox: str | None = None) -> str:
    """Import the image as ``tag`` (replacing an older one of that tag); returns its id."""
    import docker
    from docker.utils import parse_repository_tag
    repository, version = parse_repository_tag(tag)
    archive = root_filesystem(find_busybox(busybox))
    try:
        answer = client.api.import_image(src=archive, repository=repository, tag=version or "latest",
                                         changes=["ENV PATH=/bin:/usr/bin", 'CMD ["/bin/sh"]'])
    except docker.errors.APIError as exc:
        raise ImageError(f"the Docker engine refused the image: {exc.explanation or exc}") from None
    for line in str(answer).splitlines():
        message = json.loads(line) if line.strip().startswith("{") else {}
        if message.get("error"):
            raise ImageError(f"the Docker engine refused the image: {message['error']}")
    return client.images.get(tag).id
