"""The reader's side: every page of the built site in a real browser (Chromium via Playwright).

Served from 127.0.0.1 (tests/support/site.py), driven by Debian's Chromium (`/usr/bin/chromium`;
`playwright install` cannot download a browser here) through pytest-playwright's fixtures, which
keep a screenshot of every failing test in `test-results/playwright/`. For every page: no
console error, no request to another host, math typeset (MathML), a copy button on every code
block that copies exactly the embedded snippet, annotations that open; and search. Screenshots of
every page in the light and the dark palette go to `test-results/screenshots/` for review.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support import ROOT
from tests.support.copyable import copy_problem
from tests.support.markdown import PAGES

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-results" / "screenshots"

# Make every ancestor of a code block visible: open <details>, select the enclosing tab.
REVEAL = """(pre) => {
  for (let el = pre; el; el = el.parentElement) {
    if (el.tagName === 'DETAILS') el.open = true;
    if (el.classList && el.classList.contains('tabbed-block')) {
      const set = el.closest('.tabbed-set');
      const index = [...el.parentElement.children].indexOf(el);
      const input = set.querySelectorAll(':scope > input')[index];
      set.querySelector(`label[for="${input.id}"]`).click();
    }
  }
}"""
# The text of the page outside code, where raw TeX delimiters must not survive.
PROSE_TEXT = """() => {
  const main = document.querySelector('.md-content').cloneNode(true);
  main.querySelectorAll('pre, code, math, script, style').forEach(el => el.remove());
  return main.innerText;
}"""


def page_url(md: Path) -> str:
    rel = md.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return "" if rel == "index" else rel.removesuffix("/index") + "/"


# Code blocks wider than their box (they scroll sideways); the page wider than the window.
# Material scrolls the <code> inside a <pre> (the <pre> itself never overflows): check both.
WIDE_CODE = (
    "[...document.querySelectorAll('pre, pre > code')].filter(p => p.scrollWidth > p.clientWidth + 1)"
    ".map(p => p.innerText.split('\\n')[0])"
)
PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
SCROLLING_NOT_CODE = """[...document.querySelectorAll('.md-content *')].filter(el => {
  const s = getComputedStyle(el);
  return el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(s.overflowX)
    && !el.closest('pre, .highlight, .highlight-ipynb, .tabbed-labels');
}).map(el => el.tagName + '.' + el.className)"""
# Every <text> of an inline or <img> SVG diagram must fit inside the box its anchor point is in.
SVG_OVERFLOW = """(svg) => {
  const rects = [...svg.querySelectorAll('rect')].map(r => r.getBBox());
  const bad = [];
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox(), x = +t.getAttribute('x'), y = +t.getAttribute('y');
    const box = rects.find(r => r.x <= x && x <= r.x + r.width && r.y <= y && y <= r.y + r.height);
    const frame = box || svg.viewBox.baseVal;
    if (b.x < frame.x || b.y < frame.y || b.x + b.width > frame.x + frame.width
        || b.y + b.height > frame.y + frame.height) bad.push(t.textContent);
  }
  return bad;
}"""


def mount_code_blocks(page) -> None:
    """Show every code block once, so that Material mounts it: with `content.lazy` a block gets
    its copy button and annotations when it first scrolls into view. Material marks a mounted
    block by giving its <pre> an id `__code_N`; wait until every block has one."""
    blocks = page.locator("pre:not(.mermaid):has(> code)")
    for index in range(blocks.count()):
        pre = blocks.nth(index)
        pre.evaluate(REVEAL)
        pre.scroll_into_view_if_needed()
        # one at a time: the next block may be in another tab of the same set, which hides this one
        expect(pre).to_have_attribute("id", re.compile(r"^__code_"))
    page.evaluate("window.scrollTo(0, 0)")


def copyable_blocks(page):
    """(language, copied text) of every code block on the page that has a copy button."""
    found = []
    mount_code_blocks(page)
    blocks = page.locator("div.highlight:has(button.md-code__button[data-md-type=copy])")
    for index in range(blocks.count()):
        block = blocks.nth(index)
        language = next(
            (c.removeprefix("language-") for c in (block.get_attribute("class") or "").split()
             if c.startswith("language-")),
            "",
        )  # fmt: skip
        block.locator("pre").first.evaluate(REVEAL)
        block.scroll_into_view_if_needed()
        block.locator("button.md-code__button[data-md-type=copy]").first.click()
        found.append((language, page.evaluate("navigator.clipboard.readText()")))
    return found


def open_page(new_context, url):
    """A fresh context (pytest-playwright's: traced, screenshot on failure) and the page at
    `url`, loaded; `seen` collects console errors and every request."""
    context = new_context(color_scheme="light")
    page = context.new_page()
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(url, wait_until="load")
    return context, page, seen


def screenshots(page, name: str) -> None:
    """Full-page screenshots in the light palette, then in the dark one: the reader's system
    switches to dark and the page must follow (Material's automatic palette). JPEG: half the
    time of PNG for a long page, and as readable for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-light.jpg", full_page=True, quality=85)
    page.emulate_media(color_scheme="dark")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.screenshot(path=SCREENSHOTS / f"{name}-dark.jpg", full_page=True, quality=85)


NOTEBOOKS = sorted((ROOT / "docs" / "experiments").glob("*.py"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_page_in_the_browser(new_context, site_url, notebook):
    context, page, seen = open_page(new_context, f"{site_url}experiments/{notebook.stem}/")
    try:
        assert not seen["errors"], f"console errors: {seen['errors']}"
        hosts = {r.split("/")[2] for r in seen["requests"] if r.startswith("http")}
        assert hosts == {site_url.split("/")[2]}, f"requests to other hosts: {hosts}"
        images = page.locator(".jp-OutputArea img")
        assert images.count() == notebook.read_text().count("plt.show()")
        for img in images.all():
            assert img.evaluate("(i) => i.complete && i.naturalWidth > 0"), "a figure did not load"
        if "$" in notebook.read_text():
            assert page.locator(".arithmatex math").count() > 0, "the notebook's math was not typeset"
        prose = page.evaluate(PROSE_TEXT)
        assert not re.search(r"\\[a-zA-Z]+", prose), "raw TeX commands in the page text"
        stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert stderr.count() == 0, f"stderr on the page: {stderr.first.inner_text()[:300]}"
        cell_buttons = page.locator("clipboard-copy >> visible=true")
        assert cell_buttons.count() == 0, "a notebook cell shows a copy button, but a cell does not run alone"
        problems = [copy_problem(notebook.name, lang, text) for lang, text in copyable_blocks(page)]
        assert not any(problems), "\n".join(p for p in problems if p)
        assert not page.evaluate(WIDE_CODE), f"code scrolls sideways at 1280 px: {page.evaluate(WIDE_CODE)}"
        screenshots(page, f"experiments-{notebook.stem}")
        fits_a_phone(page)
    finally:
        context.close()


def fits_a_phone(page) -> None:
    """At 390 px (a phone) the page itself never scrolls sideways; only code blocks (and the row
    of tab labels, Material's tab strip) may."""
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(PAGE_OVERFLOW) <= 0, (
        f"at 390 px the page is {page.evaluate(PAGE_OVERFLOW)} px too wide"
    )
    scrolling = page.evaluate(SCROLLING_NOT_CODE)
    assert not scrolling, f"at 390 px elements other than code scroll sideways: {scrolling}"


def test_diagrams_fit_their_boxes(new_context, site_url, built_site):
    """Every label of every SVG diagram lies inside its box (measured by the browser's layout)."""
    diagrams = sorted(built_site.glob("assets/images/*.svg"))
    assert diagrams
    context = new_context()
    try:
        page = context.new_page()
        for svg in diagrams:
            page.goto(site_url + svg.relative_to(built_site).as_posix(), wait_until="load")
            overflow = page.locator("svg").first.evaluate(SVG_OVERFLOW)
            assert not overflow, f"{svg.name}: text outside its box: {overflow}"
    finally:
        context.close()


def test_the_diagram_check_catches_overflowing_text(new_context, tmp_path):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" font-size="14">'
        '<rect x="10" y="10" width="60" height="40"/>'
        '<text x="20" y="30">far too long a label for its box</text></svg>'
    )
    context = new_context()
    try:
        page = context.new_page()
        page.set_content(svg)
        assert page.locator("svg").first.evaluate(SVG_OVERFLOW) == ["far too long a label for its box"]
    finally:
        context.close()


@pytest.mark.parametrize("md", PAGES, ids=[p.stem for p in PAGES])
def test_page_in_the_browser(new_context, site_url, md):
    context, page, seen = open_page(new_context, site_url + page_url(md))
    try:
        assert not seen["errors"], f"console errors: {seen['errors']}"
        hosts = {r.split("/")[2] for r in seen["requests"] if r.startswith("http")}
        assert hosts == {site_url.split("/")[2]}, f"requests to other hosts: {hosts}"

        # Every formula is MathML from the build (tests/test_lean_pages.py); none left as TeX here.
        prose = page.evaluate(PROSE_TEXT)
        raw = re.search(r"\\\(|\\\[|\$\$|\\[a-zA-Z]+", prose)
        assert not raw, f"raw TeX in the page text: {prose[max(0, raw.start() - 40) : raw.end() + 40]!r}"

        problems = [copy_problem(md.name, lang, text) for lang, text in copyable_blocks(page)]
        assert not any(problems), "\n".join(p for p in problems if p)
        assert not page.evaluate(WIDE_CODE), f"code scrolls sideways at 1280 px: {page.evaluate(WIDE_CODE)}"

        annotations = page.locator(".md-annotation__index")
        for index in range(annotations.count()):
            annotation = annotations.nth(index)
            annotation.evaluate(
                f"(a) => {{ ({REVEAL})(a.closest('pre')); a.scrollIntoView({{block: 'center'}}) }}"
            )
            assert annotation.get_attribute("aria-label"), "an annotation marker has no accessible name"
            annotation.click(force=True)  # the marker pulses until opened: never "stable"
            expect(page.locator(".md-tooltip--active").first).to_be_visible()
            page.locator("h1").first.click()  # close it again

        for img in page.locator("img").all():
            assert img.evaluate("(i) => i.complete && i.naturalWidth > 0"), "an image did not load"

        screenshots(page, md.stem)
        fits_a_phone(page)
    finally:
        context.close()


def test_search_finds_the_pages_that_explain_net_losses(new_context, site_url):
    context, page, _ = open_page(new_context, site_url)
    try:
        page.locator(".md-search__input").click()
        page.keyboard.type("net.losses")  # keystrokes, as a reader types
        expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
        hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()]
        for slug in ("where-losses-come-from/", "pitfalls/", "faq/", "tutorial/"):
            assert any(slug in href for href in hrefs), f"search does not list {slug}: {hrefs}"
    finally:
        context.close()


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
                page.emulate_media(color_scheme=palette)
                scheme = "slate" if palette == "dark" else "default"
                expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
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
    page_html = (built_site / "experiments" / notebook.stem / "index.html").read_text()
    url = f"{site_url}experiments/{notebook.stem}/"
    assert styles_differ(new_context, url, full_notebook_css(), page_html) is None


def test_the_css_comparison_catches_a_missing_rule(new_context, site_url, built_site):
    """Self-test: with one rule of the full CSS gone (the output area's), styles differ."""
    page_html = (built_site / "experiments/l2_vs_decoupled/index.html").read_text()
    css = full_notebook_css()
    broken = css.replace(".jupyter-wrapper .jp-OutputArea-output{height:auto;overflow:auto;", ".x{")
    assert broken != css
    url = f"{site_url}experiments/l2_vs_decoupled/"
    assert styles_differ(new_context, url, broken, page_html, palettes=("light",)) is not None


def test_unwrapped_code_tokens_look_like_the_code(new_context, site_url):
    """hooks/code_tokens.py drops Pygments' <span class="n"> and <span class="w">. Premise: in
    a code block, such a span has the same computed style as a span without a class (what its
    text looks like unwrapped), in both palettes."""
    context = new_context(color_scheme="light")
    try:
        page = context.new_page()
        page.goto(site_url + "tutorial/", wait_until="load")
        compare = """() => {
          const code = document.querySelector('div.highlight pre > code');
          const style = el => { const s = getComputedStyle(el); return [...s].map(p => p + ':' + s.getPropertyValue(p)).join(';'); };
          const out = {};
          for (const cls of ['n', 'w']) {
            const span = document.createElement('span');
            span.className = cls;
            span.textContent = cls === 'n' ? 'name' : ' ';
            code.append(span);
            const plain = document.createElement('span');
            plain.textContent = span.textContent;
            code.append(plain);
            out[cls] = style(span) === style(plain);
            span.remove(); plain.remove();
          }
          return out;
        }"""
        assert page.evaluate(compare) == {"n": True, "w": True}, "light palette"
        page.emulate_media(color_scheme="dark")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        assert page.evaluate(compare) == {"n": True, "w": True}, "dark palette"
    finally:
        context.close()
