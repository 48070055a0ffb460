"""MkDocs hook: notebook pages carry only the notebook CSS that can apply to them.

mkdocs-jupyter inlines JupyterLab's whole style sheet in every notebook page: about 590 KB
(88 KB compressed), most of it for JupyterLab's own interface and hundreds of custom properties
(icons as data URLs). Inline, it is downloaded and parsed before anything on the page can be
drawn. This hook runs PurgeCSS (pinned in package.json; `hooks/purge_css.cjs`) on those style
blocks against the page itself and inlines what is left, one block in their place (about
20 KB). `tests/browser/test_notebook_css.py` proves nothing changed on screen: every element of each notebook
page has the same computed style with the purged CSS as with mkdocs-jupyter's full CSS, in
both palettes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

PURGER = Path(__file__).with_name("purge_css.cjs")
STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
WRAPPER = '<div class="jupyter-wrapper"'


def notebook_styles(output: str) -> tuple[int, int, list[re.Match]]:
    """The region of the page where mkdocs-jupyter put its style blocks, and the blocks."""
    end = output.find(WRAPPER)
    start = output.rfind("<article", 0, end)
    if end < 0 or start < 0:
        return 0, 0, []
    return start, end, list(STYLE.finditer(output, start, end))


def purge(css: str, page_html: str) -> str:
    node = shutil.which("node")
    if node is None or not (PURGER.parent.parent / "node_modules" / "purgecss").is_dir():
        raise PluginError("trimming the notebook CSS needs Node.js and `npm ci --omit=dev` (make setup)")
    done = subprocess.run(
        [node, str(PURGER)], input=json.dumps({"css": css, "html": page_html}),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        raise PluginError(f"PurgeCSS failed: {done.stderr.strip()}")
    return done.stdout


def purge_notebook_css(output: str) -> str:
    start, end, blocks = notebook_styles(output)
    if not blocks:
        return output
    css = "\n".join(block[1] for block in blocks)
    region = STYLE.sub("", output[start:end])
    kept = purge(css, output[:start] + region + output[end:])  # the page without its CSS
    first = blocks[0].start() - start  # the text before the first block is unchanged
    region = region[:first] + f'<style data-purged="PurgeCSS">{kept}</style>\n' + region[first:]
    return output[:start] + region + output[end:]


def on_post_page(output: str, page, config) -> str:
    return purge_notebook_css(output)
