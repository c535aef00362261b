"""Which operations of Gitea's spec Plue serves: every (method, path) of the app's route table
under /api/v1 matched to the spec's path templates, parameter names erased (Plue's
``{index:int}`` is the spec's ``{index}``).

Run it to print the served operations that a list of checked endpoints (default: the
ENDPOINTS of test_gitea_response_shapes.py and test_gitea_more_response_shapes.py) leaves out:

    .venv/bin/python tests/e2e/gitea_coverage.py
"""

from __future__ import annotations

import pathlib
import re
import sys
import tempfile

import gitea_swagger

METHODS = ("get", "post", "put", "patch", "delete")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _erased(path: str) -> str:
    return _PLACEHOLDER.sub("{}", path)


def served_operations(app) -> set[str]:
    """``"METHOD <spec template>"`` for every operation of Gitea's spec a route of ``app`` serves."""
    by_shape = {_erased(template): template for template in gitea_swagger.spec()["paths"]}
    served = set()
    for _, route in app.plue.routes:
        path = getattr(route, "path", None)
        if not path or not path.startswith("/api/v1/"):
            continue
        template = by_shape.get(_erased(route.openapi_path.removeprefix("/api/v1")))
        if template is None:
            continue
        suffix = f"_{route.suffix}" if route.suffix else ""
        operations = gitea_swagger.spec()["paths"][template]
        for method in METHODS:
            if method in operations and callable(getattr(route.resource, f"on_{method}{suffix}", None)):
                served.add(f"{method.upper()} {template}")
    return served


def _app(tmp: pathlib.Path):
    from plue_core import create_app
    from plue_core.testing import make_test_config

    return create_app(make_test_config(tmp, f"sqlite:///{tmp / 'plue.db'}"))


def main() -> int:
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    import test_gitea_more_response_shapes as more
    import test_gitea_response_shapes as shapes

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(pathlib.Path(tmp))
        try:
            served = served_operations(app)
        finally:
            app.plue.close()
    checked = set(shapes.ENDPOINTS) | set(more.ENDPOINTS)
    missing = sorted(served - checked, key=lambda e: (e.split(" ", 1)[1], e))
    print(f"{len(served)} operations of Gitea's spec served, {len(served & checked)} checked, "
          f"{len(missing)} not:")
    for endpoint in missing:
        print("  " + endpoint)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
