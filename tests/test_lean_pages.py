"""What keeps the pages light, and that it changes nothing a reader sees.

Three build hooks (README, "Performance and accessibility budget"): math typeset at build time
as MathML (`hooks/math.py`), Pygments' invisible token wrappers dropped (`hooks/code_tokens.py`),
the notebooks' style sheet trimmed to what applies (`hooks/notebook_css.py`). The checks here
read the built pages; `tests/test_browser.py` compares computed styles in the browser.
"""

from __future__ import annotations

import gzip
import html
import re

import pytest
from mkdocs.exceptions import PluginError

from hooks import code_tokens, math, notebook_css
from tests.support import ROOT


def test_math_is_mathml_in_every_page(built_site):
    """Every formula is MathML carrying its TeX; no TeX delimiter is left for a script, and no
    page loads a math script or style sheet."""
    problems = []
    for path in sorted(built_site.rglob("*.html")):
        text = path.read_text()
        name = path.relative_to(built_site).as_posix()
        wrappers = re.findall(r'<(?:span|div) class="arithmatex">(.{0,120})', text)
        problems += [f"{name}: not typeset: {w[:60]!r}" for w in wrappers if "<math" not in w]
        if re.search(r"katex(?:\.min)?\.(?:js|css)|auto-render", text):
            problems.append(f"{name}: loads KaTeX")
        if 'class="jupyter-wrapper"' in text:
            prose = math.SKIP.sub("", text[text.index('class="jupyter-wrapper"') :])
            prose = re.sub(r"<[^>]*>", "", prose)
            problems += [f"{name}: raw ${m.group(0)}" for m in math.DOLLARS.finditer(prose)]
    assert not problems, "\n".join(problems)


def test_math_keeps_its_tex_for_copying_and_screen_readers(built_site):
    page = (built_site / "tutorial" / "index.html").read_text()
    tex = re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', page)
    source = (ROOT / "docs" / "tutorial.md").read_text()
    assert tex, "no MathML annotation on the tutorial"
    missing = [t for t in tex if html.unescape(t) not in source]
    assert not missing, f"annotations that are not the page's TeX: {missing[:3]}"


def test_math_hook_names_the_page_and_the_formula_it_cannot_typeset():
    with pytest.raises(PluginError, match=r"bad\.md: cannot typeset '\\\\frac\{a'"):
        math.typeset_arithmatex('<span class="arithmatex">\\(\\frac{a\\)</span>', "bad.md")
    math.typeset.close()


def test_dollar_math_outside_code_only():
    out = math.typeset_dollars(
        "<p>costs $5 or $10; with $\\lambda = 3$</p><pre>$HOME$</pre><code>$x$</code>", "nb"
    )
    math.typeset.close()
    assert out.count("<math") == 1 and "<mi>λ</mi>" in out
    assert "costs $5 or $10; with " in out and "<pre>$HOME$</pre><code>$x$</code>" in out


def test_code_tokens_unwrapped_only_in_material_code_blocks():
    block = '<div class="language-python highlight"><pre><code><span class="n">net</span><span class="o">.</span><span class="n">losses</span><span class="w"> </span></code></pre></div>'
    cell = '<div class="highlight-ipynb"><pre><span class="n">net</span></pre></div>'
    out = code_tokens.unwrap_plain_tokens(block + cell)
    assert out == (
        '<div class="language-python highlight"><pre><code>net<span class="o">.</span>losses </code></pre></div>'
        + cell
    )


def test_code_blocks_keep_only_the_spans_that_colour(built_site):
    page = (built_site / "verify" / "index.html").read_text()
    assert '<span class="k">' in page, "highlighting is gone"
    assert not re.search(r'<span class="[nw]">', page), "names or whitespace still wrapped"


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "docs" / "experiments").glob("*.py")), ids=lambda p: p.stem
)
def test_notebook_pages_carry_one_trimmed_style_block(built_site, notebook):
    """One purged block instead of mkdocs-jupyter's four (590 KB); the page, figures included,
    within the 500 KB budget compressed, and its style sheet within 30 KB."""
    page = (built_site / "experiments" / notebook.stem / "index.html").read_text()
    _, _, blocks = notebook_css.notebook_styles(page)
    assert [b.group(0).split(">")[0] for b in blocks] == ['<style data-purged="PurgeCSS"']
    assert len(blocks[0][1]) < 30_000, f"{len(blocks[0][1])} characters of notebook CSS"
    assert len(gzip.compress(page.encode())) < 500_000


def test_scripts_wait_for_the_page(built_site):
    """Every script file a page loads is deferred (overrides/main.html): none runs before the
    first paint. (The notebooks' empty `data:` script stands in for MathJax and loads nothing.)"""
    blocking = sorted(
        {
            f"{path.relative_to(built_site).as_posix()}: {tag}"
            for path in built_site.rglob("*.html")
            for tag in re.findall(r"<script\b[^>]*\bsrc=\"(?!data:)[^>]*>", path.read_text())
            if " defer" not in tag
        }
    )
    assert not blocking, "\n".join(blocking[:10])
