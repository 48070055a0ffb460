"""MkDocs hook: drop the code tokens' wrappers that change nothing on screen.

Pygments wraps every token of a code block in a `<span>`; names (`n`), whitespace (`w`) and
punctuation (`p`, which docs/assets/stylesheets/extra.css gives the code's own colour) are
more than half of them. Material colours a name with `--md-code-hl-name-color`, which both of
its palettes set to `var(--md-code-fg-color)`, the colour of the code itself, and gives
whitespace no style. Unwrapped, their text looks the same (`tests/browser/test_code_tokens.py`
compares the computed style of each kind of span with a plain span's in a code block, in both
palettes) and the pages have far fewer elements for the browser to style and lay out: a
code-heavy page had 2,000-5,500 name and whitespace spans, and the pitfalls page 1,367
punctuation spans, a quarter of its elements.

Only Material's code blocks (`div.highlight`) are touched; notebook cells (`highlight-ipynb`)
have their own colours and keep their spans.
"""

from __future__ import annotations

import re

BLOCK = re.compile(r'(<div class="(?:[^"]*\s)?highlight(?:\s[^"]*)?">)(.*?</pre>)', re.S)
# The token classes whose spans are dropped, each with a sample of its text (the browser test
# checks each of them styles like plain code).
PLAIN_TOKENS = {"n": "name", "w": " ", "p": "(),"}
PLAIN = re.compile(rf'<span class="[{"".join(PLAIN_TOKENS)}]">([^<]*)</span>')


def unwrap_plain_tokens(content: str) -> str:
    return BLOCK.sub(lambda m: m[1] + PLAIN.sub(r"\1", m[2]), content)


def on_page_content(content: str, page, config, files) -> str:
    return unwrap_plain_tokens(content)
