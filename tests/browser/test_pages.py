"""The reader's side: every page of the built site in a real browser (Chromium via Playwright).

Served from 127.0.0.1 (site_machinery/site.py), driven by Debian's Chromium (`/usr/bin/chromium`;
`playwright install` cannot download a browser here) through pytest-playwright's fixtures, which
keep a screenshot of every failing test in `test-results/playwright/`. For every page: no
console error, no request to another host, math typeset (MathML), a copy button on every code
block that copies exactly the embedded snippet, annotations that open; and search. Screenshots of
every page in the light and the dark palette go to `test-results/screenshots/` for review.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from site_machinery.copyable import copy_problem
from site_machinery.markdown import PAGES
from site_machinery.paths import RESULTS, notebooks, page_url
from tests.support.palette import switch_palette

pytestmark = pytest.mark.browser

SCREENSHOTS = RESULTS / "screenshots"

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


# Code blocks wider than their box (they scroll sideways); the page wider than the window.
# Material scrolls the <code> inside a <pre> (the <pre> itself never overflows): check both.
WIDE_CODE = (
    "[...document.querySelectorAll('pre, pre > code')].filter(p => p.scrollWidth > p.clientWidth + 1)"
    ".map(p => p.innerText.split('\\n')[0])"
)
SETTLED = "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r())))"
PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
SCROLLING_NOT_CODE = """[...document.querySelectorAll('.md-content *')].filter(el => {
  const s = getComputedStyle(el);
  return el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(s.overflowX)
    && !el.closest('pre, .highlight, .highlight-ipynb, .tabbed-labels, .md-typeset__scrollwrap');
}).map(el => el.tagName + '.' + el.className)"""
# Every <text> of an inline or <img> SVG diagram must fit inside the innermost box its anchor
# point is in.
SVG_OVERFLOW = """(svg) => {
  const rects = [...svg.querySelectorAll('rect')].map(r => r.getBBox());
  const bad = [];
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox(), x = +t.getAttribute('x'), y = +t.getAttribute('y');
    const box = rects.filter(r => r.x <= x && x <= r.x + r.width && r.y <= y && y <= r.y + r.height)
      .sort((a, b) => a.width * a.height - b.width * b.height)[0];  // the innermost box
    const frame = box || svg.viewBox.baseVal;
    if (b.x < frame.x || b.y < frame.y || b.x + b.width > frame.x + frame.width
        || b.y + b.height > frame.y + frame.height) bad.push(t.textContent);
  }
  return bad;
}"""


# Show every code block once, so that Material mounts it (with `content.lazy` a block gets its
# copy button and annotations when it first scrolls into view; Material marks a mounted block by
# giving its <pre> an id `__code_N`), one at a time (the next block may be in another tab of the
# same set, which hides this one); then click its copy button, if it has one, and read what it
# put on the clipboard. In the page, in one call: a round trip per block took 0.35 s.
COPY_EVERY_BLOCK = (
    "async ({start, count}) => {\n  const reveal = "
    + REVEAL
    + """;
  const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
  const until = async (ok) => { for (let i = 0; i < 250 && !ok(); i++) await sleep(20); return ok(); };
  const copied = [];
  const blocks = [...document.querySelectorAll('pre:not(.mermaid)')].filter(p => p.querySelector(':scope > code'));
  for (const pre of blocks.slice(start, start + count)) {
    reveal(pre);
    pre.scrollIntoView({block: 'center'});
    if (!await until(() => (pre.id || '').startsWith('__code_')))
      return {unmounted: pre.innerText.slice(0, 80)};
    const block = pre.closest('div.highlight');
    const button = block && block.querySelector('button.md-code__button[data-md-type=copy]');
    if (!button) continue;
    const language = [...block.classList].find(c => c.startsWith('language-')) || '';
    let text = '';
    // Two clicks at most, 5 s each: in two full-suite runs one click on a long page put
    // nothing on the clipboard (never when the page ran alone, loaded or not). A second
    // empty read is reported with the block's first line.
    for (let click = 0; click < 2 && !text; click++) {
      await navigator.clipboard.writeText('');
      button.click();
      for (let i = 0; i < 250 && !text; i++) { text = await navigator.clipboard.readText(); if (!text) await sleep(20); }
    }
    copied.push([language.replace('language-', ''), text || `(nothing copied from the block "${pre.innerText.split(String.fromCharCode(10))[0]}")`]);
  }
  window.scrollTo(0, 0);
  return {copied, done: start + count >= blocks.length};
}"""
)


def copyable_blocks(page):
    """(language, copied text) of every code block on the page that has a copy button, each
    mounted by scrolling it into view and copied by its own button. The first is copied again
    with a real mouse click (Playwright checks the button is visible and not covered)."""
    # Eight blocks a call, the page brought to the front before each: on the longest page, one
    # call for every block ended with clicks that put nothing on the clipboard (full suite only).
    result, start = {"copied": []}, 0
    while True:
        page.bring_to_front()
        chunk = page.evaluate(COPY_EVERY_BLOCK, {"start": start, "count": 8})
        assert "unmounted" not in chunk, f"Material never mounted the block {chunk.get('unmounted')!r}"
        result["copied"] += chunk["copied"]
        start += 8
        if chunk["done"]:
            break
    if result["copied"]:
        button = page.locator("button.md-code__button[data-md-type=copy]").first
        button.evaluate(f"(b) => ({REVEAL})(b.closest('div.highlight').querySelector('pre'))")
        button.scroll_into_view_if_needed()
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()
        page.wait_for_function(
            "async (want) => (await navigator.clipboard.readText()) === want", arg=result["copied"][0][1]
        )
    return [tuple(item) for item in result["copied"]]


def open_page(new_context, site_url: str, path: str):
    """A fresh context (pytest-playwright's: traced, screenshot on failure) and the page at
    `path` of the served site, loaded with no console error and no request to another host."""
    context = new_context(color_scheme="light")
    page = context.new_page()
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(site_url + path, wait_until="load")
    try:
        assert not seen["errors"], f"console errors: {seen['errors']}"
        hosts = {r.split("/")[2] for r in seen["requests"] if r.startswith("http")}
        assert hosts == {site_url.split("/")[2]}, f"requests to other hosts: {hosts}"
    except AssertionError:
        context.close()
        raise
    return context, page


def follows_the_palette(page, name: str, screenshots: bool, width: str = "desktop") -> None:
    """The reader's system switches to dark and the page follows (Material's automatic palette);
    back to light after. With `--screenshots` (`make screenshots`): a full-page screenshot in
    each palette, for review (JPEG: half the time of PNG for a long page, as readable)."""
    if screenshots:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}-light.jpg", full_page=True, quality=85)
    switch_palette(page, "dark")
    if screenshots:
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}-dark.jpg", full_page=True, quality=85)
    switch_palette(page, "light")


NOTEBOOKS = notebooks()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_page_in_the_browser(new_context, site_url, notebook, pytestconfig):
    context, page = open_page(new_context, site_url, page_url(notebook))
    shots = pytestconfig.getoption("screenshots")
    try:
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
        # Widths are read once the fonts have loaded and a frame has been laid out: in one
        # full-suite run an excerpt on book-loops read as wider than its column, never alone.
        page.evaluate(SETTLED)
        assert not page.evaluate(WIDE_CODE), f"code scrolls sideways at 1280 px: {page.evaluate(WIDE_CODE)}"
        follows_the_palette(page, f"experiments-{notebook.stem}", shots)
        fits_a_phone(page, f"experiments-{notebook.stem}", shots)
    finally:
        context.close()


def fits_a_phone(page, name: str, screenshots: bool) -> None:
    """At 390 px (a phone) the page itself never scrolls sideways; only code blocks, wide tables
    (in Material's table wrapper) and the row of tab labels (Material's tab strip) may. It follows the palette there too."""
    page.set_viewport_size({"width": 390, "height": 844})
    follows_the_palette(page, name, screenshots, width="phone")
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
def test_page_in_the_browser(new_context, site_url, md, pytestconfig):
    context, page = open_page(new_context, site_url, page_url(md))
    shots = pytestconfig.getoption("screenshots")
    try:
        # Every formula is MathML from the build (tests/hooks/test_math.py); none left as TeX here.
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

        follows_the_palette(page, md.stem, shots)
        fits_a_phone(page, md.stem, shots)
    finally:
        context.close()


def test_search_finds_the_pages_that_explain_net_losses(new_context, site_url):
    context, page = open_page(new_context, site_url, "")
    try:
        page.locator(".md-search__input").click()
        page.keyboard.type("net.losses")  # keystrokes, as a reader types
        expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
        hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()]
        for slug in ("where-losses-come-from/", "pitfalls/", "faq/", "tutorial/"):
            assert any(slug in href for href in hrefs), f"search does not list {slug}: {hrefs}"
    finally:
        context.close()
