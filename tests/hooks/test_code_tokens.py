"""hooks/code_tokens.py: Pygments' invisible name, whitespace and punctuation spans are unwrapped in Material's
code blocks only; the spans that colour stay. (That an unwrapped span looks the same on screen:
tests/browser/test_code_tokens.py.)"""

from __future__ import annotations

from hooks import code_tokens
from site_machinery.paths import DOCS, built_page


def test_code_tokens_unwrapped_only_in_material_code_blocks():
    block = '<div class="language-python highlight"><pre><code><span class="n">net</span><span class="o">.</span><span class="n">losses</span><span class="p">(</span><span class="w"> </span></code></pre></div>'
    cell = '<div class="highlight-ipynb"><pre><span class="n">net</span></pre></div>'
    out = code_tokens.unwrap_plain_tokens(block + cell)
    assert out == (
        '<div class="language-python highlight"><pre><code>net<span class="o">.</span>losses( </code></pre></div>'
        + cell
    )


def test_code_blocks_keep_only_the_spans_that_colour(built_site):
    page = built_page(built_site, DOCS / "verify.md").read_text()
    assert '<span class="k">' in page, "highlighting is gone"
    assert not code_tokens.PLAIN.search(page), "names, whitespace or punctuation still wrapped"
