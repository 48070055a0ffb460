"""hooks/restyles.py: the built palette style sheet has no rule that restyles every element when
Material marks the moment of switching (a Material without that rule stops the build), and each
Markdown table sits in a plain <div> (a nested table stops the build). That a plain <div> adds
nothing on screen is an argument (hooks/restyles.py), not a test; the screenshots show the
tables for review."""

from __future__ import annotations

import re

import pytest
from mkdocs.exceptions import PluginError

from hooks import restyles
from site_machinery.paths import DOCS, built_page


def test_the_switching_rule_alone_is_removed():
    rest = "[data-md-color-scheme=slate]{color-scheme:dark}"
    css = rest + restyles.SWITCHING_RULE + rest
    assert restyles.without_switching_rule(css) == rest + rest


@pytest.mark.parametrize("times", [0, 2])
def test_a_sheet_without_the_rule_once_stops_the_build(times):
    with pytest.raises(PluginError, match=r"revisit hooks/restyles\.py"):
        restyles.without_switching_rule("a{}" + restyles.SWITCHING_RULE * times)


def test_markdown_tables_and_only_they_are_wrapped():
    table = "<table>\n<tr><td>1</td></tr>\n</table>"
    frame = '<table class="dataframe"><tr><td>2</td></tr></table>'
    out = restyles.tables_in_plain_divs(f"<p>a</p>{table}{table}{frame}")
    assert out == f"<p>a</p><div>{table}</div><div>{table}</div>{frame}"


def test_a_nested_table_stops_the_build():
    with pytest.raises(PluginError, match="a table inside a table"):
        restyles.tables_in_plain_divs("<table><tr><td><table></table></td></tr></table>")


def test_built_site_has_no_switching_rule_and_wrapped_tables(built_site):
    (sheet,) = (built_site / "assets" / "stylesheets").glob("palette.*.min.css")
    css = sheet.read_text()
    assert "data-md-color-switching" not in css
    assert "[data-md-color-scheme=slate]" in css, "the palette itself is gone"
    page = built_page(built_site, DOCS / "pitfalls.md").read_text()
    assert page.count("<table>") >= 1, "the pitfalls index is a table"
    assert len(re.findall(r"<div><table>", page)) == page.count("<table>")
