"""MkDocs hook: fewer restyles of the whole page while Material's script starts.

On the pages with the most code, each time the browser restyles every element is a long task on
a phone (about 3,000 elements restyled in 65-270 ms at Chromium's 4x CPU slowdown, traced on the
pitfalls page). Two such restyles come from Material's markup and style sheet, not from its
work, and are avoided here; Material's script is left as it is. Lighthouse's mobile total
blocking time on the pitfalls page went from 290-415 ms to 180-270 ms (README, "Performance").

- **The palette's switching rule.** At every load Material's palette component sets
  `data-md-color-switching` on `<body>` and removes it a frame later. The rule
  `[data-md-color-switching] *, ... :after, ... :before {transition-duration: 0s !important}`
  makes each change restyle every element. The built palette style sheet goes without it: when
  a reader switches between light and dark, Material's own colour transitions (125-250 ms)
  play instead of being cut. If Material ships the rule in another form, the build stops, so
  that this hook is revisited rather than silently doing nothing.
- **Tables.** Material moves each table without a class into its scrolling wrapper, and a node
  inserted among the article's children restyles all of them and everything inside them (its
  style sheet has rules on the position of an element among its siblings). Each Markdown table
  (a bare `<table>`) is put in a plain `<div>` when the page is built, so that Material's move
  happens inside it. Once Material has mounted the table, the page looks as it did: the table
  sits in Material's wrapper either way, and a `<div>` without class, margin or padding adds
  nothing around it. A table inside a table stops the build (the pattern would close at the
  inner one).
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)
# A Markdown table: Material mounts only tables without a class attribute.
TABLE = re.compile(r"<table>.*?</table>", re.S)


def without_switching_rule(css: str) -> str:
    """The palette style sheet without the rule; it must be there exactly once."""
    if css.count(SWITCHING_RULE) != 1:
        raise PluginError(
            "Material's palette style sheet no longer has the rule "
            f"{SWITCHING_RULE!r} exactly once: revisit hooks/restyles.py"
        )
    return css.replace(SWITCHING_RULE, "")


def tables_in_plain_divs(content: str) -> str:
    def wrapped(table: re.Match) -> str:
        if "<table" in table[0][1:]:
            raise PluginError("a table inside a table: hooks/restyles.py cannot wrap it")
        return f"<div>{table[0]}</div>"

    return TABLE.sub(wrapped, content)


def on_page_content(content: str, page, config, files) -> str:
    return tables_in_plain_divs(content)


def on_post_build(config) -> None:
    sheets = list(Path(config["site_dir"], "assets", "stylesheets").glob("palette.*.min.css"))
    if len(sheets) != 1:
        raise PluginError(f"expected one Material palette style sheet, found {sheets}")
    sheets[0].write_text(without_switching_rule(sheets[0].read_text()))
