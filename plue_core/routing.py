"""What ``register_routes`` returns: routes for resources, sinks for streaming protocols."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable

_CONVERTER = re.compile(r"\{(\w+)(:[^}]*)?\}")


@dataclasses.dataclass(frozen=True)
class Route:
    """``path`` as Falcon spells it (``/api/v1/users/{username}``); ``suffix`` selects
    ``on_get_<suffix>`` responders so one resource can serve an item and its collection."""

    path: str
    resource: Any
    suffix: str | None = None

    @property
    def key(self) -> str:
        """The path with converters and names erased: two routes clash when their keys do."""
        return _CONVERTER.sub("{}", self.path)

    @property
    def openapi_path(self) -> str:
        return _CONVERTER.sub(lambda m: "{" + m.group(1) + "}", self.path)


@dataclasses.dataclass(frozen=True)
class Sink:
    """Every request whose path matches ``prefix`` (a regex) goes to ``handler(req, resp, **groups)``."""

    prefix: str
    handler: Callable

    @property
    def key(self) -> str:
        return "sink:" + self.prefix
