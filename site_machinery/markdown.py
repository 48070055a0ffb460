"""What the pages are made of: fences, and the files and sections they embed."""

from __future__ import annotations

import re
from pathlib import Path

from site_machinery.paths import pages
from site_machinery.publishing import published_path

PAGES = pages()
# Fences a page may type by hand: commands a reader types (what a copy button may copy besides
# a whole program).
SHELL_LANGUAGES = {"bash", "console", "shell", "sh"}
# `--8<-- "path"`, `--8<-- "path:section"` or `--8<-- "path:1:7"` (a line range) inside a page.
EMBED = re.compile(r'--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[a-z][\w-]*)|(?P<lines>(?::\d*)+))?"')
MARKER = re.compile(r"--8<-- \[(?P<kind>start|end):(?P<name>[\w-]+)\]")
# A fenced block: ``` or ~~~, its info string (`python title="x.py"`, `{.python .numberLines}`,
# or nothing), its body, and the same fence closing it.
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.M | re.S,
)


def fence_language(info: str) -> str:
    """The language of a fence from its info string: 'python title=...' or '{.python ...}'."""
    info = info.strip()
    if info.startswith("{"):
        m = re.search(r"\.([\w+-]+)", info)
        return m.group(1).lower() if m else ""
    return info.split(" ", 1)[0].lower() if info else ""


def embeds(pages: list[Path] = PAGES) -> list[tuple[Path, str, str | None]]:
    """(page, path, section) of every --8<-- embed on the pages."""
    return [(page, m["path"], m["section"]) for page in pages for m in EMBED.finditer(page.read_text())]


def published(path: str) -> str:
    """Where the site publishes an embedded source file, which is also the name an excerpt of
    it is titled by: `snippets/NAME.py` for a snippet, the package's own path for a module of
    weight_decay_checks (site_machinery/publishing.py)."""
    return published_path(path)


def shown_files(pages: list[Path] = PAGES) -> set[str]:
    """Every Python file a page embeds, whole or in part (what must fit the code column)."""
    return {path for _, path, _ in embeds(pages) if path.endswith(".py")}
