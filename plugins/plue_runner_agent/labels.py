"""Runner labels, ``name[:scheme[:argument]]`` as act_runner writes them.

``ubuntu-latest:docker://node:20`` runs jobs asking for ``ubuntu-latest`` in a container of
``node:20``; ``trusted:host`` (or a bare ``trusted``) runs them on this machine. Only the names
are declared to the server.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCKER, HOST = "docker", "host"


class LabelError(ValueError):
    """A label the runner cannot use; the message names it."""


@dataclass(frozen=True)
class Label:
    name: str
    scheme: str = HOST
    argument: str = ""  # the image for docker labels

    @property
    def image(self) -> str:
        return self.argument if self.scheme == DOCKER else ""

    def __str__(self) -> str:
        if self.scheme == DOCKER:
            return f"{self.name}:docker://{self.argument}"
        return f"{self.name}:host"


def parse_label(text: str) -> Label:
    """Parse one label; raise LabelError naming the label when it is malformed."""
    text = text.strip()
    name, _, rest = text.partition(":")
    if not name or any(ch.isspace() for ch in name):
        raise LabelError(f"label {text!r}: the name must be non-empty and without spaces")
    if not rest:
        return Label(name)
    scheme, _, argument = rest.partition(":")
    if scheme == HOST:
        if argument:
            raise LabelError(f"label {text!r}: host labels take no argument")
        return Label(name)
    if scheme == DOCKER:
        image = argument[2:] if argument.startswith("//") else argument
        if not image or any(ch.isspace() for ch in image):
            raise LabelError(f"label {text!r}: expected name:docker://image")
        return Label(name, DOCKER, image)
    raise LabelError(f"label {text!r}: unknown scheme {scheme!r}; use name:docker://image "
                     "or name:host")


def parse_labels(texts: list[str] | str) -> list[Label]:
    """Parse a list (or a comma-separated string); names must be unique."""
    if isinstance(texts, str):
        texts = [part for part in texts.split(",") if part.strip()]
    labels = [parse_label(text) for text in texts]
    seen: set[str] = set()
    for label in labels:
        if label.name in seen:
            raise LabelError(f"label name {label.name!r} is given twice")
        seen.add(label.name)
    if not labels:
        raise LabelError("at least one label is needed, e.g. ubuntu-latest:docker://IMAGE")
    return labels


def pick_label(labels: list[Label], runs_on: list[str]) -> Label | None:
    """The runner label that decides how a job asking for ``runs_on`` runs: the first of the
    job's labels this runner has (the server already checked it has them all)."""
    by_name = {label.name: label for label in labels}
    for name in runs_on:
        if name in by_name:
            return by_name[name]
    return None
