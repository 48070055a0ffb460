"""MkDocs hook: fewer restyles of the whole page while Material's script starts.

On the pages with the most code, each time the browser restyles every element was a long task
on a phone, and they made most of Lighthouse's mobile total blocking time (README,
"Performance"). Two of them come from Material's markup and style sheet, not from its work, and
are avoided here; Material's script is left as it is.

- **The palette's switching rule.** At every load Material's palette component sets
  `data-md-color-switching` on `<body>` and removes it a frame later. The rule
  `[data-md-color-switching] *, ... :after, ... :before {transition-duration: 0s !important}`
  makes each change restyle every element. The built palette style sheet goes without it: when
  a reader switches between light and dark, Material's own colour transitions (125-250 ms)
  play instead of being cut. If Material ships the rule in another form, the build stops, so
  that this hook is revisited rather than silently doing nothing.
- **Tables.** Material moves each data table into its scrolling wrapper, and a node inserted
  among the article's children restyles all of them and everything inside them (its style sheet
  has rules on the position of an element among its siblings). Each table is put in a plain
  `<div>` when the page is built, so that Material's move happens inside it; a `<div>` without
  class, margin or padding changes nothing on screen.
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
    return TABLE.sub(lambda m: f"<div>{m[0]}</div>", content)


def on_page_content(content: str, page, config, files) -> str:
    return tables_in_plain_divs(content)


def on_post_build(config) -> None:
    sheets = list(Path(config["site_dir"], "assets", "stylesheets").glob("palette.*.min.css"))
    if len(sheets) != 1:
        raise PluginError(f"expected one Material palette style sheet, found {sheets}")
    sheets[0].write_text(without_switching_rule(sheets[0].read_text()))
