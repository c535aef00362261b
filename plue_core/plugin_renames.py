"""Built-in plugins that changed name, and the one place their former names are understood.

A config, an environment or a database written for an older Plue still says the old name: a
``[plugins]`` list naming it, its config section (``[runners]``, ``PLUE_RUNNERS__KEY``) or the
rows of ``plue_migration``. Each keeps working under the new name, with a deprecation notice
(docs/admin.md, "Renamed plugins"); the rows are renamed by :func:`adopt_renamed_migrations`.
"""

from __future__ import annotations

from typing import Any, Iterable

# Former name -> current name.
RENAMED_PLUGINS: dict[str, str] = {
    "runner": "runner_agent",    # the agent behind `plue runner` (the command keeps its name)
    "runners": "runner_pilot",   # Runner Pilot's fleet: runner definitions and their instances
}


def current_name(name: str) -> str:
    """The plugin's name today (``name`` itself unless it is a former name)."""
    return RENAMED_PLUGINS.get(name, name)


def deprecation(old: str, origin: str, spelling: str = "{name!r}") -> str:
    """The notice for ``origin`` (a config file, the environment...) spelling former name
    ``old`` as ``spelling`` (formatted with ``name``, or ``NAME`` upper-cased)."""
    new = RENAMED_PLUGINS[old]
    said, meant = (spelling.format(name=name, NAME=name.upper()) for name in (old, new))
    return (f"{origin}: {said} is now {meant} (plugin {old!r} was renamed {new!r}); the old "
            "name still works but is deprecated")


def current_plugin_names(names: Iterable[str] | None, origin: str,
                         notices: list[str]) -> list[str] | None:
    """A ``[plugins]`` list with former names replaced (each replacement noted in ``notices``)."""
    if names is None:
        return None
    renamed = []
    for name in names:
        if name in RENAMED_PLUGINS:
            notices.append(deprecation(name, origin))
        if current_name(name) not in renamed:
            renamed.append(current_name(name))
    return renamed


def current_sections(source: dict[str, Any], origin: str, spelling: str, notices: list[str],
                     merge) -> None:
    """Move the sections of ``source`` (one config source: the file, the environment or the
    overrides) named after a former plugin name to the current name, in place. When a source
    has both, the current name's keys win over the old one's (``merge(base, override)``)."""
    for old, new in RENAMED_PLUGINS.items():
        if old not in source:
            continue
        notices.append(deprecation(old, origin, spelling))
        value = source.pop(old)
        if new in source and isinstance(value, dict) and isinstance(source[new], dict):
            value = merge(value, source[new])
        elif new in source:
            value = source[new]
        source[new] = value


def adopt_renamed_migrations(db, history_model, report) -> None:
    """Rows of ``plue_migration`` recorded under a former name belong to the current name, so
    a database migrated by the old name runs none of those migrations again (the tables kept
    their names: nothing else moves)."""
    for old, new in RENAMED_PLUGINS.items():
        rows = history_model.select().where(history_model.plugin == old)
        if not rows.exists():
            continue
        with db.atomic():
            already = history_model.select(history_model.name).where(history_model.plugin == new)
            # A row present under both names (both versions were run) is kept once.
            history_model.delete().where((history_model.plugin == old)
                                         & history_model.name.in_(already)).execute()
            moved = history_model.update(plugin=new).where(history_model.plugin == old).execute()
        report(f"plugin {old!r} is now {new!r}: its {moved} applied migration(s) are recorded "
               f"under the new name")


def applied_under_current_names(rows: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(plugin, migration) pairs as the current plugin names say them (for reading the history
    of a database not yet migrated by this version)."""
    return {(current_name(plugin), name) for plugin, name in rows}
