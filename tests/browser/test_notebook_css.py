"""hooks/notebook_css.py in the browser: the trimmed notebook CSS gives every element of every
notebook page (and its ::before and ::after) the computed style mkdocs-jupyter's full style
sheet gives it, light and dark; self-tested with a rule removed."""

from __future__ import annotations

import functools
import re

import pytest

from site_machinery.paths import built_page, notebooks, page_url
from tests.support.palette import switch_palette

pytestmark = pytest.mark.browser
NOTEBOOKS = notebooks()


# The computed style of each element of a notebook page's notebook (and of its ::before and
# ::after) as one string, `index` null: a 32-bit FNV-1a hash of each (megabytes of text
# otherwise); `index` N: element N's string. Custom properties (--*) are left out: they change
# nothing on screen by themselves, only through the properties that use them, which are
# compared; the purge drops the unused ones.
NOTEBOOK_STYLES = """(index) => {
  const elements = [...document.querySelectorAll('.jupyter-wrapper, .jupyter-wrapper *')];
  const names = [...getComputedStyle(document.body)].filter(p => !p.startsWith('--'));
  const style = (s) => names.map(p => s.getPropertyValue(p)).join(';');
  const text = (el) => el.tagName + '.' + el.className + ' ' + [null, '::before', '::after'].map(pseudo => {
    const s = getComputedStyle(el, pseudo);
    return pseudo && s.content === 'none' ? 'none' : style(s);  // no such pseudo-element
  }).join(' | ');
  if (index !== null) return text(elements[index]);
  return elements.map(el => {
    let h = 0x811c9dc5;
    for (const c of text(el)) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    return h;
  });
}"""


@functools.cache
def full_notebook_css() -> str:
    """The style blocks mkdocs-jupyter inlines in every notebook page, before
    hooks/notebook_css.py (the same for every notebook: they come from its template)."""
    from mkdocs_jupyter.nbconvert2 import nb2html

    from hooks.notebook_css import STYLE

    return "\n".join(block[1] for block in STYLE.finditer(nb2html(str(NOTEBOOKS[0]))))


def serve_html(html: str, route) -> None:
    route.fulfill(body=html, content_type="text/html")


def styles_differ(new_context, url: str, full_css: str, page_html: str, palettes=("light", "dark")):
    """Open the page as built and again with `full_css` in place of its purged style block (same
    URL, served by Playwright's router); the first element whose computed style differs, or None."""
    full_page = re.sub(
        r'<style data-purged="PurgeCSS">.*?</style>',
        lambda _: f"<style>{full_css}</style>",
        page_html,
        count=1,
        flags=re.S,
    )
    assert full_page != page_html, "the page has no purged style block"
    contexts, pages = [], []
    try:
        for html in (page_html, full_page):
            contexts.append(new_context(color_scheme="light"))
            pages.append(contexts[-1].new_page())
            pages[-1].route(url, functools.partial(serve_html, html))
            pages[-1].goto(url, wait_until="load")
        for palette in palettes:
            for page in pages:
                switch_palette(page, palette)
            purged, full = (page.evaluate(NOTEBOOK_STYLES, None) for page in pages)
            assert len(purged) == len(full), "the two pages differ in their elements"
            for index, (a, b) in enumerate(zip(purged, full, strict=True)):
                if a != b:
                    a, b = (page.evaluate(NOTEBOOK_STYLES, index) for page in pages)
                    return (
                        f"{palette}: {a.split(' ')[0]}: {sorted(set(a.split(';')) ^ set(b.split(';')))[:6]}"
                    )
    finally:
        for context in contexts:
            context.close()
    return None


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_purged_notebook_css_changes_nothing_on_screen(new_context, site_url, built_site, notebook):
    """hooks/notebook_css.py keeps only the notebook CSS that applies: every element of the
    notebook has the same computed style as under mkdocs-jupyter's full style sheet, light and
    dark."""
    page_html = built_page(built_site, notebook).read_text()
    url = site_url + page_url(notebook)
    assert styles_differ(new_context, url, full_notebook_css(), page_html) is None


def test_the_css_comparison_catches_a_missing_rule(new_context, site_url, built_site):
    """Self-test: with one rule of the full CSS gone (the output area's), styles differ."""
    notebook = next(n for n in NOTEBOOKS if n.stem == "l2_vs_decoupled")
    page_html = built_page(built_site, notebook).read_text()
    css = full_notebook_css()
    broken = css.replace(".jupyter-wrapper .jp-OutputArea-output{height:auto;overflow:auto;", ".x{")
    assert broken != css
    url = site_url + page_url(notebook)
    assert styles_differ(new_context, url, broken, page_html, palettes=("light",)) is not None
