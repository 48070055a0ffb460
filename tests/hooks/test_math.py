"""hooks/math.py: every formula typeset at build time as MathML, carrying its TeX; a formula
KaTeX cannot parse stops the build, naming the page and the formula."""

from __future__ import annotations

import html
import re

import pytest
from mkdocs.exceptions import PluginError

from hooks import math
from site_machinery.paths import DOCS, built_page


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
    page = built_page(built_site, DOCS / "tutorial.md").read_text()
    tex = re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', page)
    source = (DOCS / "tutorial.md").read_text()
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


def test_norm_bars_take_no_operator_space_and_relations_keep_theirs():
    norm = math.typeset_arithmatex(
        '<span class="arithmatex">\\(\\lVert w\\rVert + \\lvert b\\rvert\\)</span>', "t"
    )
    relation = math.typeset_arithmatex('<span class="arithmatex">\\(a \\mid b \\parallel c\\)</span>', "t")
    math.typeset.close()
    bars = re.findall("<mo[^>]*>[\u2225\u2223]</mo>", norm)
    assert len(bars) == 4 and all('lspace="0em" rspace="0em"' in bar for bar in bars), bars
    assert re.findall("<mo[^>]*>[\u2225\u2223]</mo>", relation) == ["<mo>\u2223</mo>", "<mo>\u2225</mo>"]
