"""Read workflow YAML the way GitHub does: YAML 1.2 booleans, no dates, no duplicate keys.

PyYAML speaks YAML 1.1, where the key ``on`` (and ``yes``/``no``/``off``) become booleans and
``2024-01-01`` a date. Workflows need ``on`` as a string, so this loader (a ``SafeLoader``
subclass: no arbitrary objects) only treats true/false as booleans and refuses a mapping
that repeats a key, which PyYAML would silently let win.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from plue_workflows.errors import WorkflowError


class WorkflowLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core booleans, no timestamps and duplicate-key detection."""


WorkflowLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WorkflowLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def _construct_mapping(loader: WorkflowLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:  # explicit keys only: `<<` merges may be overridden
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a scalar", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"found duplicate key {key!r}", key_node.start_mark)
        seen[key] = key_node
    loader.flatten_mapping(node)
    return loader.construct_mapping(node, deep=deep)


def _construct_yaml_map(loader: WorkflowLoader, node: yaml.MappingNode):
    data: dict = {}
    yield data
    data.update(_construct_mapping(loader, node))


WorkflowLoader.add_constructor("tag:yaml.org,2002:map", _construct_yaml_map)


def load_yaml(text: str | bytes, file_name: str) -> Any:
    """Parse YAML text; raise WorkflowError naming the file, line and column on bad YAML."""
    try:
        return yaml.load(text, Loader=WorkflowLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise WorkflowError(file_name, [(where, f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as error:
        raise WorkflowError(file_name, [("", f"invalid YAML: {error}")]) from None
