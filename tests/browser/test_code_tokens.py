"""hooks/code_tokens.py in the browser: a span of each class the hook drops (names, whitespace,
punctuation) styles like a plain span in Material's code blocks, light and dark, so unwrapping
it changes nothing on screen."""

from __future__ import annotations

import pytest

from hooks import code_tokens
from tests.support.palette import switch_palette

pytestmark = pytest.mark.browser


def test_unwrapped_code_tokens_look_like_the_code(new_context, site_url):
    """hooks/code_tokens.py drops the spans of Pygments' PLAIN_TOKENS classes. Premise: in
    a code block, such a span has the same computed style as a span without a class (what its
    text looks like unwrapped), in both palettes."""
    context = new_context(color_scheme="light")
    try:
        page = context.new_page()
        page.goto(site_url + "tutorial/", wait_until="load")
        compare = """(tokens) => {
          const code = document.querySelector('div.highlight pre > code');
          const style = el => { const s = getComputedStyle(el); return [...s].map(p => p + ':' + s.getPropertyValue(p)).join(';'); };
          const out = {};
          for (const [cls, text] of Object.entries(tokens)) {
            const span = document.createElement('span');
            span.className = cls;
            span.textContent = text;
            code.append(span);
            const plain = document.createElement('span');
            plain.textContent = span.textContent;
            code.append(plain);
            out[cls] = style(span) === style(plain);
            span.remove(); plain.remove();
          }
          return out;
        }"""
        same = dict.fromkeys(code_tokens.PLAIN_TOKENS, True)
        assert page.evaluate(compare, code_tokens.PLAIN_TOKENS) == same, "light palette"
        switch_palette(page, "dark")
        assert page.evaluate(compare, code_tokens.PLAIN_TOKENS) == same, "dark palette"
    finally:
        context.close()
