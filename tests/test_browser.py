"""The reader's side: every page of the built site in a real browser (Chromium via Playwright).

Served from 127.0.0.1 (tests/support/site.py), driven by Debian's Chromium (`/usr/bin/chromium`;
`playwright install` cannot download a browser here) through pytest-playwright's fixtures, which
keep a screenshot of every failing test in `test-results/playwright/`. For every page: no
console error, no request to another host, math typeset by KaTeX, a copy button on every code
block that copies exactly the embedded snippet, annotations that open; and search. Screenshots of
every page in the light and the dark palette go to `test-results/screenshots/` for review.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support import ROOT
from tests.support.markdown import EMBED, FENCE, MARKER, PAGES

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-results" / "screenshots"
ANNOTATION = re.compile(r"\s*# \(\d+\)!")

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
  main.querySelectorAll('pre, code, .katex, script, style').forEach(el => el.remove());
  return main.innerText;
}"""


def page_url(md: Path) -> str:
    rel = md.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return "" if rel == "index" else rel.removesuffix("/index") + "/"


def embedded_code(path: str, section: str | None, lines: str | None) -> str:
    """What pymdownx.snippets puts into the page for an embed (markers dropped, sections dedented)."""
    text = (ROOT / path).read_text().splitlines()
    if section:
        start = next(i for i, line in enumerate(text) if f"[start:{section}]" in line)
        end = next(i for i, line in enumerate(text) if f"[end:{section}]" in line)
        text = textwrap.dedent("\n".join(text[start + 1 : end])).splitlines()
    elif lines:
        first, _, last = lines.strip(":").partition(":")
        text = text[int(first or 1) - 1 : int(last) if last else None]
    return "\n".join(line for line in text if not MARKER.search(line))


def normalized(code: str) -> str:
    """Compare code as the copy button gives it: annotation markers (page-only) removed."""
    lines = [ANNOTATION.sub("", line).rstrip() for line in code.strip("\n").splitlines()]
    return "\n".join(lines).strip("\n")


def open_page(new_context, url, color_scheme="light"):
    """A fresh context (pytest-playwright's: traced, screenshot on failure) and the page at
    `url`, loaded; `seen` collects console errors and every request."""
    context = new_context(color_scheme=color_scheme)
    page = context.new_page()
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(url, wait_until="load")
    # Math is typeset by a script after load: wait for it (a retrying assertion, not a sleep).
    expect(page.locator(".arithmatex:not(:has(.katex))")).to_have_count(0)
    return context, page, seen


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
            assert page.locator(".katex").count() > 0, "the notebook's math was not typeset"
        prose = page.evaluate(PROSE_TEXT)
        assert not re.search(r"\\[a-zA-Z]+", prose), "raw TeX commands in the page text"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"experiments-{notebook.stem}-light.png", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("md", PAGES, ids=[p.stem for p in PAGES])
def test_page_in_the_browser(new_context, site_url, md):
    context, page, seen = open_page(new_context, site_url + page_url(md))
    try:
        assert not seen["errors"], f"console errors: {seen['errors']}"
        hosts = {r.split("/")[2] for r in seen["requests"] if r.startswith("http")}
        assert hosts == {site_url.split("/")[2]}, f"requests to other hosts: {hosts}"

        math = page.locator(".arithmatex")
        assert page.locator(".arithmatex .katex").count() == math.count(), "math left untypeset"
        prose = page.evaluate(PROSE_TEXT)
        assert not re.search(r"\\\(|\\\[|\$\$", prose), "raw TeX delimiters in the page text"

        fences = list(FENCE.finditer(md.read_text()))
        blocks = page.locator("div.highlight pre")
        assert blocks.count() == len(fences), "code blocks on the page do not match the Markdown"
        for fence, index in zip(fences, range(blocks.count()), strict=True):
            pre = blocks.nth(index)
            button = pre.locator("xpath=..").locator("button.md-code__button[data-md-type=copy]").first
            assert button.count() == 1, f"code block {index} has no copy button"
            embed = EMBED.fullmatch(fence["body"].strip())
            if not embed or not embed["path"].endswith(".py"):
                continue
            pre.evaluate(REVEAL)
            pre.scroll_into_view_if_needed()
            button.click()
            copied = page.evaluate("navigator.clipboard.readText()")
            expected = embedded_code(embed["path"], embed["section"], embed["lines"])
            assert normalized(copied) == normalized(expected), f"copy of {fence['body'].strip()}"

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

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{md.stem}-light.png", full_page=True)
    finally:
        context.close()
    context, page, seen = open_page(new_context, site_url + page_url(md), color_scheme="dark")
    try:
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == "slate", "the dark palette did not follow the system preference"
        page.screenshot(path=SCREENSHOTS / f"{md.stem}-dark.png", full_page=True)
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
