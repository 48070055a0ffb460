"""hooks/code_tokens.py in the browser: a name or whitespace span of Pygments styles like a plain
span in Material's code blocks, light and dark, so unwrapping it changes nothing on screen."""

from __future__ import annotations

import pytest

from tests.support.palette import switch_palette

pytestmark = pytest.mark.browser


def test_unwrapped_code_tokens_look_like_the_code(new_context, site_url):
    """hooks/code_tokens.py drops Pygments' <span class="n">, <span class="w"> and <span class="p">. Premise: in
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
          for (const cls of ['n', 'w', 'p']) {
            const span = document.createElement('span');
            span.className = cls;
            span.textContent = {n: 'name', w: ' ', p: '(),'}[cls];
            code.append(span);
            const plain = document.createElement('span');
            plain.textContent = span.textContent;
            code.append(plain);
            out[cls] = style(span) === style(plain);
            span.remove(); plain.remove();
          }
          return out;
        }"""
        assert page.evaluate(compare) == {"n": True, "w": True, "p": True}, "light palette"
        switch_palette(page, "dark")
        assert page.evaluate(compare) == {"n": True, "w": True, "p": True}, "dark palette"
    finally:
        context.close()
