"""hooks/notebook_css.py: each notebook page carries one trimmed style block instead of
mkdocs-jupyter's whole style sheet. (That the trimmed one changes nothing on screen:
tests/browser/test_notebook_css.py.)"""

from __future__ import annotations

import gzip

import pytest

from hooks import notebook_css
from site_machinery.paths import built_page, notebooks


@pytest.mark.parametrize("notebook", notebooks(), ids=lambda p: p.stem)
def test_notebook_pages_carry_one_trimmed_style_block(built_site, notebook):
    """One purged block instead of mkdocs-jupyter's four (590 KB); the page, figures included,
    within the 500 KB budget compressed, and its style sheet within 30 KB."""
    page = built_page(built_site, notebook).read_text()
    _, _, blocks = notebook_css.notebook_styles(page)
    assert [b.group(0).split(">")[0] for b in blocks] == ['<style data-purged="PurgeCSS"']
    assert len(blocks[0][1]) < 30_000, f"{len(blocks[0][1])} characters of notebook CSS"
    assert len(gzip.compress(page.encode())) < 500_000
