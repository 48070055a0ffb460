"""MkDocs hook: under the title of every whole program a page shows, links to download it and,
when the site is built from a GitHub repository, to open it in Colab; at the top of every
notebook page, a link to open it in Colab.

The Colab notebooks are committed under notebooks/ (site_machinery/colab.py says why); the
links are plain anchors, so nothing is requested when the page loads. A local build without a
GitHub repository gets the download links only.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache

from site_machinery.colab import colab_url, sources
from site_machinery.paths import DOCS, relative
from site_machinery.publishing import published_path, repository

TITLE = re.compile(r'<span class="filename">(?P<name>[\w.-]+\.py)</span>')


@cache
def programs() -> dict:
    """The whole programs that have a Colab notebook, by the file name a block's title shows."""
    return {path.name: path for path in sources() if path.parent.name == "snippets"}


def links(html: str, page_url: str, repo: str | None, src_uri: str) -> str:
    """The page's HTML with the program links added (repo: OWNER/REPO on GitHub, or None)."""

    def titled(m: re.Match) -> str:
        source = programs().get(m["name"])
        if source is None:
            return m[0]
        download = posixpath.relpath(published_path(relative(source)), page_url or ".")
        extra = f'<a href="{download}">download</a>'
        if repo:
            extra += f' · <a href="{colab_url(repo, source)}">open in Colab</a>'
        return f'<span class="filename">{m["name"]} <span class="program-links">{extra}</span></span>'

    html = TITLE.sub(titled, html)
    if repo and src_uri.startswith("experiments/") and src_uri.endswith(".py"):
        notebook = DOCS / src_uri
        html = (
            f'<p class="program-link"><a href="{colab_url(repo, notebook)}">'
            "Open this notebook in Colab</a></p>\n" + html
        )
    return html


_repo: list[str | None] = [None]


def on_config(config):  # every build, `mkdocs serve`'s rebuilds included
    programs.cache_clear()
    _, name, web = repository()
    _repo[0] = name if web else None
    return config


def on_page_content(html, page, config, files):
    return links(html, page.url, _repo[0], page.file.src_uri)
