"""MkDocs hook: typeset the math of every page at build time, as MathML.

Markdown pages write math as `\\(...\\)` and `\\[...\\]`; pymdownx.arithmatex (generic mode)
wraps it in `<span class="arithmatex">` / `<div class="arithmatex">`. Notebook pages write
`$...$` in their Markdown cells, which nbconvert leaves as text. This hook replaces both with
MathML from the pinned KaTeX (`hooks/katex_mathml.cjs`, one Node process per build), inside the
same wrappers. The browser draws MathML itself (Chromium, Firefox and Safari all do), so pages
load no KaTeX script, style sheet or font, and nothing is typeset after the page has loaded:
in the browser, typesetting had been one of the longest tasks of the math-heavy pages.

Math KaTeX cannot parse stops the build with the page and the formula named.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

RENDERER = Path(__file__).with_name("katex_mathml.cjs")
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>',
    re.S,
)
# Notebook pages: $...$ (and $$...$$) in text, outside tags and outside code, pre, script and
# style elements. A `$` escaped as `\$` is text, as in Markdown.
SKIP = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.S | re.I)
DOLLARS = re.compile(
    r"(?<![\\$])\$\$(?P<display>[^$]+?)\$\$|(?<![\\$])\$(?P<inline>[^$\s][^$]*?)(?<!\s)\$(?!\$)"
)


# KaTeX writes \lVert ... \rVert and \lvert ... \rvert as <mo stretchy="false">∥</mo> (and U+2223),
# characters the browsers' operator dictionary spaces as relations ("parallel to", "divides"):
# the norm ‖w‖ then draws as "‖ w ‖". As delimiters they take no space (KaTeX's own HTML output
# gives none); \mid and \parallel come out as a plain <mo> and keep their relation spacing.
DELIMITER = re.compile('<mo stretchy="false">([\u2225\u2223])</mo>')  # parallel to, divides


def tight_delimiters(mathml: str) -> str:
    return DELIMITER.sub(r'<mo stretchy="false" lspace="0em" rspace="0em">\1</mo>', mathml)


class Typesetter:
    """One Node process running KaTeX; formulas typeset once per build (many repeat)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.done: dict[tuple[str, bool], str] = {}

    def __call__(self, tex: str, display: bool, where: str) -> str:
        key = (tex, display)
        if key not in self.done:
            if self.process is None:
                self.process = self.start()
            self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.process.stdin.flush()
            reply = json.loads(self.process.stdout.readline() or '{"error": "KaTeX stopped"}')
            if "error" in reply:
                raise PluginError(f"{where}: cannot typeset {tex!r}: {reply['error']}")
            self.done[key] = tight_delimiters(reply["html"])
        return self.done[key]

    @staticmethod
    def start() -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise PluginError("typesetting math needs Node.js (`make setup` installs KaTeX with npm)")
        if not (RENDERER.parent.parent / "node_modules" / "katex").is_dir():
            raise PluginError("KaTeX is not installed: run `npm ci --omit=dev` (`make setup` does)")
        return subprocess.Popen(
            [node, str(RENDERER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )  # fmt: skip

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process = None


typeset = Typesetter()
atexit.register(typeset.close)


def wrapped(match: re.Match, where: str, tag: str | None = None) -> str:
    """The MathML of a DISPLAY or INLINE match, in an arithmatex wrapper (`tag`: the match's own
    element, or a div for display math and a span for inline)."""
    display = match["display"] is not None
    tex = html.unescape(match["display"] if display else match["inline"])
    body = typeset(tex.strip(), display, where)
    if display:
        body = f'<span class="katex-display">{body}</span>'
    tag = tag or ("div" if display else "span")
    return f'<{tag} class="arithmatex">{body}</{tag}>'


def typeset_arithmatex(text: str, where: str) -> str:
    """Replace each arithmatex wrapper's TeX by its MathML, keeping the wrapper."""
    return ARITHMATEX.sub(lambda match: wrapped(match, where, match["tag"]), text)


def typeset_dollars(text: str, where: str) -> str:
    """Replace $...$ and $$...$$ in text outside tags and code by MathML in arithmatex wrappers."""

    def in_text(chunk: str) -> str:
        return DOLLARS.sub(lambda match: wrapped(match, where), chunk)

    out, last = [], 0
    for skipped in SKIP.finditer(text):
        out.append(_outside_tags(text[last : skipped.start()], in_text))
        out.append(skipped.group(0))
        last = skipped.end()
    out.append(_outside_tags(text[last:], in_text))
    return "".join(out)


def _outside_tags(chunk: str, change) -> str:
    parts = re.split(r"(<[^>]*>)", chunk)
    return "".join(p if p.startswith("<") else change(p) for p in parts)


def on_page_content(content: str, page, config, files) -> str:
    return typeset_arithmatex(content, page.file.src_uri)


def on_post_page(output: str, page, config) -> str:
    # mkdocs-jupyter renders notebook pages outside the Markdown pipeline: only they keep $...$.
    start = output.find('<div class="jupyter-wrapper"')
    if start < 0:
        return output
    return output[:start] + typeset_dollars(output[start:], page.file.src_uri)


def on_post_build(config) -> None:
    typeset.close()
