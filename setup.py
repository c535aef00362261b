"""Package layout: the folders stay ``plugins/plue_<name>`` and ``hosts/`` (the project's
fixed layout), but they install under names that belong to Plue, so an embedding application's
own ``plugins`` or ``hosts`` package never collides with ours: each built-in plugin is the
top-level package ``plue_<name>`` and the hosts are ``plue_hosts``. Everything else about the
distribution is in pyproject.toml."""

import pathlib

from setuptools import find_packages, setup

ROOT = pathlib.Path(__file__).parent


def mapped(folder: str, name: str) -> tuple[list[str], dict[str, str]]:
    """The package ``name`` whose sources live in ``folder``, with its subpackages."""
    return [name, *(f"{name}.{sub}" for sub in find_packages(folder))], {name: folder}


packages = find_packages(include=["plue_core", "plue_core.*", "plue_workflows", "plue_workflows.*"])
package_dir: dict[str, str] = {}
for folder, name in [("hosts", "plue_hosts"),
                     *((f"plugins/{p.name}", p.name)
                       for p in sorted((ROOT / "plugins").iterdir())
                       if (p / "__init__.py").is_file())]:
    more, where = mapped(folder, name)
    packages += more
    package_dir.update(where)

setup(packages=packages, package_dir=package_dir)
