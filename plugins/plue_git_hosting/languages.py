"""A repository's languages: bytes of code per language at the tip of its default branch, the
answer of Gitea's ``GET /repos/{owner}/{repo}/languages`` (its ``languages_url``).

Gitea counts with go-enry (GitHub linguist's data): every non-empty file of the tree except
vendored, documentation, configuration, dot- and generated files, by the language its name
says, keeping only programming and markup languages — unless nothing else is there, when the
first other language found stands alone. Plue follows those rules with linguist's names, and
finds a file's language from Pygments' filename patterns (linguist's own tables are not a
Python package); a language Pygments names differently is renamed to linguist's below.

A commit's figures never change, so they are kept per (repository path, commit) for the
process: the tree is walked once per new tip of the default branch."""

from __future__ import annotations

import functools
import re
import stat
from typing import TYPE_CHECKING

from plue_core.bounded_cache import BoundedCache

if TYPE_CHECKING:
    from dulwich.repo import Repo

# Pygments' name -> linguist's, where they differ (and Pygments' variants of one language).
LINGUIST_NAMES = {
    "Bash": "Shell", "Docker": "Dockerfile", "JSX": "JavaScript", "verilog": "Verilog",
    "S": "R", "Nimrod": "Nim", "Terraform": "HCL", "GAS": "Assembly", "NASM": "Assembly",
    "TASM": "Assembly", "ca65 assembler": "Assembly", "Text only": "Text",
    "VB.net": "Visual Basic .NET", "Perl6": "Raku", "SCSS": "CSS", "Sass": "CSS",
    "Less": "CSS", "Protocol Buffer": "Protocol Buffer", "Rocq Prover": "Coq",
    "Emacs Lisp": "Emacs Lisp", "Common Lisp": "Common Lisp", "Python 2.x": "Python",
    "Python console session": "Python", "Transact-SQL": "TSQL", "SQL+Jinja": "SQL",
    "Fortran": "Fortran", "FortranFixed": "Fortran", "Matlab": "MATLAB",
}
# Extensions several Pygments lexers claim: the language linguist gives a file of that name
# when its content is not looked at.
PREFERRED = {
    ".c": "C", ".h": "C", ".m": "Objective-C", ".pl": "Perl", ".v": "Verilog", ".r": "R",
    ".inc": "PHP", ".s": "Assembly", ".asm": "Assembly", ".sql": "SQL", ".cpp": "C++",
    ".f90": "Fortran",
}
# linguist's "data" and "prose" languages: not counted unless nothing else is there (its
# "programming" and "markup" ones are, such as HTML and CSS).
NOT_CODE = {
    "JSON", "YAML", "TOML", "INI", "XML", "CSV", "SQL", "Text", "Markdown", "reStructuredText",
    "Diff", "Properties", "Protocol Buffer", "Gettext Catalog", "BibTeX", "AsciiDoc", "Org",
    "Groff", "RTF", "JSON5", "HJSON", "TSV", "Desktop", "Ignore List", "Git Config",
    "EditorConfig", "Raw token data", "Hexdump", "Graphviz", "SVG", "Mustache",
}
# linguist's vendor.yml, documentation.yml and generated files, for the paths they name most.
_SKIPPED = re.compile(
    r"(^|/)(node_modules|bower_components|vendor|vendors|third[-_]?party|Godeps|dist|"
    r"__pycache__|\.[^/]+)/"
    r"|(^|/)\.[^/]*$"
    r"|^([Dd]ocs?|[Dd]ocumentation|[Ee]xamples|[Dd]emos?|[Mm]an)/"
    r"|(^|/)(CHANGE(S|LOG)?|CONTRIBUTING|COPYING|INSTALL|LICEN[CS]E|README|NEWS|AUTHORS|"
    r"CITATION|CODE_OF_CONDUCT|SECURITY)(\.[^/]*)?$"
    r"|\.min\.(js|css)$|(^|/)jquery[^/]*\.js$|_pb2\.py$|\.pb\.go$"
    r"|(^|/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|go\.sum|poetry\.lock|"
    r"composer\.lock|Gemfile\.lock)$",
    re.IGNORECASE,
)

_STATS = BoundedCache(256)


@functools.cache
def _by_name() -> tuple[dict[str, str], dict[str, str]]:
    """(extension -> language, whole file name -> language), from Pygments' lexers."""
    from pygments.lexers import get_all_lexers

    extensions: dict[str, str] = {}
    names: dict[str, str] = {}
    for lexer_name, _aliases, patterns, _mimetypes in get_all_lexers():
        language = LINGUIST_NAMES.get(lexer_name, lexer_name)
        for pattern in patterns:
            if pattern.startswith("*.") and not any(c in pattern[2:] for c in "*?["):
                extensions.setdefault(pattern[1:].lower(), language)
            elif not any(c in pattern for c in "*?["):
                names.setdefault(pattern, language)
    extensions.update(PREFERRED)
    return extensions, names


def language_of(path: str) -> str | None:
    """The language a file's name says, linguist's name; None when it says none."""
    extensions, names = _by_name()
    name = path.rsplit("/", 1)[-1]
    if name in names:
        return names[name]
    dot = name.rfind(".")
    return extensions.get(name[dot:].lower()) if dot > 0 else None


def counted(path: str) -> bool:
    """False for what Gitea leaves out before asking a file's language."""
    return _SKIPPED.search(path) is None


def language_bytes(repo: Repo, path_key: str, commit_id: bytes | None) -> dict[str, int]:
    """Bytes per language of the tree of ``commit_id`` (``{}`` without one), largest first."""
    if commit_id is None:
        return {}
    key = (path_key, commit_id)
    found = _STATS.get(key)
    if found is None:
        found = _count(repo, repo[commit_id].tree)
        _STATS.put(key, found)
    return dict(found)


def _count(repo: Repo, tree_id: bytes) -> dict[str, int]:
    sizes: dict[str, int] = {}
    first_other: tuple[str, int] | None = None
    for path, sha in _files(repo, tree_id, ""):
        if not counted(path):
            continue
        language = language_of(path)
        if language is None:
            continue
        size = len(repo.object_store.get_raw(sha)[1])
        if size == 0:
            continue
        if language not in NOT_CODE:
            sizes[language] = sizes.get(language, 0) + size
        elif not sizes and (first_other is None or first_other[0] == language):
            first_other = (language, size + (first_other[1] if first_other else 0))
    if not sizes and first_other is not None:
        sizes[first_other[0]] = first_other[1]
    return dict(sorted(sizes.items(), key=lambda item: (-item[1], item[0])))


def _files(repo: Repo, tree_id: bytes, base: str):
    """(path, blob id) of every regular file below the tree (submodules and links left out)."""
    for item in repo[tree_id].iteritems():
        path = base + item.path.decode("utf-8", "surrogateescape")
        if stat.S_ISDIR(item.mode):
            yield from _files(repo, item.sha, path + "/")
        elif stat.S_ISREG(item.mode):
            yield path, item.sha
