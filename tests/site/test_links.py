"""Every internal link and anchor of the built site resolves, notebook pages included.

MkDocs validates links in Markdown pages only; this reads the built HTML of every page (also
the notebook pages mkdocs-jupyter renders) with the standard library's HTML parser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit


class LinksAndIds(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if tag in {"a", "img", "script", "source"} and attrs.get(key):
                self.links.append(attrs[key])
        if tag == "link" and attrs.get("href") and attrs.get("rel") in {"stylesheet", "icon"}:
            self.links.append(attrs["href"])


def parse(path: Path) -> LinksAndIds:
    parser = LinksAndIds()
    parser.feed(path.read_text(errors="replace"))
    return parser


def target_file(site: Path, page: Path, url: str) -> Path:
    """The file a URL on `page` points to (a folder means its index.html).

    Root-relative URLs (the 404 page uses them) resolve against the site root, which is where
    `site_url` puts the site.
    """
    path = unquote(urlsplit(url).path)
    if path.startswith("/"):
        target = (site / path.lstrip("/")).resolve()
    else:
        target = (page.parent / path).resolve() if path else page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[str]:
    pages = sorted(site.rglob("*.html"))
    parsed = {page.resolve(): parse(page) for page in pages}
    problems = []
    for page in pages:
        for url in parsed[page.resolve()].links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
                continue  # another host, or not a link to a file
            target = target_file(site, page, url)
            where = f"{page.relative_to(site)}: {url}"
            if not target.exists():
                problems.append(f"{where} -> missing {target}")
                continue
            fragment = unquote(urldefrag(url).fragment)
            if fragment and target.suffix == ".html":
                ids = parsed.get(target.resolve()) or parse(target)
                if fragment not in ids.ids:
                    problems.append(f"{where} -> no id '{fragment}' in {target.relative_to(site)}")
    return problems


def test_link_checker_finds_broken_links_and_anchors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h2 id="here">x</h2><a href="#here">ok</a><a href="a/">ok</a><a href="https://x.org">ext</a>'
        '<a href="#nowhere">bad anchor</a><a href="b/">bad page</a><a href="a/#missing">bad</a>'
    )
    (tmp_path / "a" / "index.html").write_text('<a href="../#here">ok</a><img src="../pic.png">')
    problems = broken_links(tmp_path)
    assert len(problems) == 4, problems  # #nowhere, b/, a/#missing, pic.png


def test_every_internal_link_and_anchor_resolves(built_site):
    problems = broken_links(built_site)
    assert not problems, "broken internal links:\n" + "\n".join(problems[:50])
