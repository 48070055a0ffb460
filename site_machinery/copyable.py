"""What a block with a copy button may be: a whole program from snippets/, a shell command, or
the whole workflow file the site publishes for readers (checked by actionlint and zizmor).

A reader copies a block, not a file: a block with a copy button must run when pasted alone.
Every snippet is a whole program that tests/programs/test_snippets.py runs under both Kerases, so a
Python block qualifies when what the button copies is, byte for byte, a whole snippet file
(annotation markers aside: Material strips them from the copy). Anything else that is not a
shell command must be marked `.no-copy` and titled "Excerpt of FILE".
"""

from __future__ import annotations

import re
from functools import cache

from site_machinery.markdown import SHELL_LANGUAGES
from site_machinery.paths import CHECKS, snippets, step_programs

ANNOTATION = re.compile(r"\s*# \(\d+\)!")
SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(?:start|end):[\w-]+\]\s*$")


def normalized(code: str) -> str:
    """Code as the copy button gives it: annotation markers removed (Material strips them),
    and section-marker lines (pymdownx.snippets drops them when it embeds the file). Both are
    comments, so the copied program runs exactly as the file does."""
    lines = [
        ANNOTATION.sub("", line).rstrip()
        for line in code.strip("\n").splitlines()
        if not SECTION_MARKER.match(line)
    ]
    return "\n".join(lines).strip("\n")


@cache
def whole_programs() -> frozenset[str]:
    return frozenset(normalized(p.read_text()) for p in [*snippets(), *step_programs()])


@cache
def whole_workflows() -> tuple[re.Pattern, ...]:
    """The reader workflows as published: hooks/checks_package.py replaces each @@TOKEN@@ by an
    address or a name (no spaces), so a token matches any run of non-space characters."""
    return tuple(
        re.compile(r"\S+".join(map(re.escape, re.split(r"@@[A-Z_]+@@", normalized(p.read_text())))))
        for p in sorted(CHECKS.glob("*.yml"))
    )


def copy_problem(page: str, language: str, copied: str) -> str | None:
    """None when a block with a copy button is a whole program or a command; otherwise why not,
    naming the page and the block's first line."""
    if language in SHELL_LANGUAGES:
        return None
    first = next((line for line in copied.splitlines() if line.strip()), "")
    if language in {"python", "py"} and normalized(copied) in whole_programs():
        return None
    if language in {"yaml", "yml"} and any(w.fullmatch(normalized(copied)) for w in whole_workflows()):
        return None
    return (
        f"{page}: a {language or 'plain'} block starting {first!r} has a copy button but is not a "
        "whole program from snippets/: embed the whole file, or mark the block "
        '`{ .python .no-copy title="Excerpt of FILE" }` and link the file'
    )
