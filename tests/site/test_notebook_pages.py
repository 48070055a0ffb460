"""The notebook pages as the build made them: executed under Keras 3 (`allow_errors: false`: a
failing `assert` cell fails the strict build), showing every figure, exactly the recorded
output, no stderr, and light enough; each published as .py and .ipynb too."""

from __future__ import annotations

import re
from html import unescape

import pytest

from site_machinery.paths import built_page, notebooks
from site_machinery.recordings import Recording

NOTEBOOKS = notebooks()
ONE_MEGABYTE = 1_000_000
# A cell's printed text on a built page (mkdocs-jupyter renders stdout as text/plain).
PRINTED = re.compile(
    r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"[^>]*>'
    r"\s*<pre>(.*?)</pre>",
    re.S,
)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_page_shows_its_figures(built_site, notebook):
    page = built_page(built_site, notebook)
    html = page.read_text()
    assert page.stat().st_size < ONE_MEGABYTE, f"{page.name}: {page.stat().st_size} bytes"
    images = re.findall(r'<img[^>]+src="data:image/png;base64,', html)
    assert len(images) == notebook.read_text().count("plt.show()"), "a figure is missing"
    assert "Traceback (most recent call last)" not in html  # allow_errors: false, and it shows
    for download in (f"{notebook.stem}.ipynb", f"{notebook.stem}.py"):
        assert (page.parent / download).is_file(), f"{download} is not published"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_built_page_prints_exactly_the_recorded_output(built_site, notebook):
    """The build executed the notebook under Keras 3: everything its cells printed, in order,
    is the recorded output (by the one rule of site_machinery/compare.py)."""
    html = built_page(built_site, notebook).read_text()
    printed = "".join(unescape(re.sub(r"<[^>]+>", "", block)) for block in PRINTED.findall(html))
    assert printed.strip(), f"{notebook.name} prints nothing to compare"
    problems = Recording.of_notebook(notebook).settle({"keras3": printed}, mode="check")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_built_page_shows_no_stderr(built_site, notebook):
    html = built_page(built_site, notebook).read_text()
    stderr = re.findall(r'<div[^>]*data-mime-type="application/vnd\.jupyter\.stderr"', html)
    assert not stderr, "a cell wrote to stderr: the page shows it"
