"""The notebook pages (docs/experiments/*.py, jupytext percent format).

Each one runs as a plain script, under each Keras, in a fresh interpreter: its own `assert`
cells check what its captions claim, and every figure must have a title and labelled axes.
What each prints is recorded in snippets/output/notebooks/ (`make record`) and checked like a
snippet's output. The built pages must show their figures, stay under 1 MB, and show exactly
the recorded output (the build executes them again: they are deterministic).
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from tests.support import KERASES, NOTEBOOK_OUTPUTS, notebook_files
from tests.support.compare import compare, contains_lines
from tests.support.run import python_env, run_python

NOTEBOOKS = notebook_files()
ONE_MEGABYTE = 1_000_000

# Run the notebook as a script with the Agg backend, then describe every figure it drew.
RUNNER = """
import json, runpy, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.show = lambda *args, **kwargs: None  # keep the figures open for inspection
runpy.run_path(sys.argv[1], run_name="__main__")
figures = [
    [{"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel()}
     for ax in plt.figure(n).axes]
    for n in plt.get_fignums()
]
print("FIGURES " + json.dumps(figures))
"""


@pytest.mark.parametrize("keras", KERASES)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_its_claims_hold(notebook, keras):
    proc = run_python(notebook, keras, code=RUNNER, timeout=300)
    assert proc.returncode == 0, f"{notebook.name} [{keras}]:\n{proc.stderr[-4000:]}"
    figures = json.loads(proc.stdout.split("FIGURES ", 1)[1])
    assert figures, f"{notebook.name} draws no figure"
    for number, axes in enumerate(figures, 1):
        for ax in axes:
            assert ax["title"] and ax["xlabel"] and ax["ylabel"], f"figure {number}: {ax}"
    recorded = NOTEBOOK_OUTPUTS / f"{notebook.stem}.txt"
    assert recorded.exists(), f"no recorded output for {notebook.name}: run `make record`"
    printed = proc.stdout.split("FIGURES ", 1)[0]
    diff = compare(recorded.read_text(), printed)
    assert diff is None, f"{notebook.name} [{keras}] printed something else:\n{diff}"
    source = notebook.read_text()
    captions = re.findall(r"^# \*Figure (\d+)\.", source, re.M)
    assert len(captions) == sum(1 for _ in re.finditer(r"plt\.show\(\)", source)), (
        "every figure needs a one-line caption ('*Figure N. ...*') in the Markdown cell after it"
    )


def test_there_are_notebooks():
    assert NOTEBOOKS


def test_every_recorded_notebook_output_has_its_notebook():
    """No stale file in snippets/output/notebooks/: each belongs to a notebook page."""
    stale = {p.stem for p in NOTEBOOK_OUTPUTS.glob("*")} - {n.stem for n in NOTEBOOKS}
    assert not stale, f"recorded outputs of no notebook: {sorted(stale)}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_page_shows_its_figures(built_site, notebook):
    page = built_site / "experiments" / notebook.stem / "index.html"
    html = page.read_text()
    assert page.stat().st_size < ONE_MEGABYTE, f"{page.name}: {page.stat().st_size} bytes"
    images = re.findall(r'<img[^>]+src="data:image/png;base64,', html)
    assert len(images) == notebook.read_text().count("plt.show()"), "a figure is missing"
    assert "Traceback (most recent call last)" not in html  # allow_errors: false, and it shows
    for download in (f"{notebook.stem}.ipynb", f"{notebook.stem}.py"):
        assert (page.parent / download).is_file(), f"{download} is not published"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_built_page_prints_the_recorded_output(built_site, notebook):
    """The build executed the notebook (Keras 3): the page shows the recorded lines, in order,
    compared by the same rule as every recorded output (tests/support/compare.py)."""
    page = (built_site / "experiments" / notebook.stem / "index.html").read_text()
    text = unescape(re.sub(r"<[^>]+>", "", page))
    recorded = (NOTEBOOK_OUTPUTS / f"{notebook.stem}.txt").read_text()
    assert recorded.strip(), f"{notebook.name} prints nothing to compare"
    missing = contains_lines(text, recorded)
    assert missing is None, f"the page does not show this recorded line: {missing!r}"


def test_kernels_keep_library_chatter_out_and_python_warnings_in():
    """Run two cells in a kernel configured as the build configures it (hooks/quiet_kernels.py):
    TensorFlow's C++ start-up lines stay out of the notebook, a Python warning does not."""
    import nbformat
    from nbclient import NotebookClient

    from hooks.quiet_kernels import kernel_env

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import tensorflow as tf\ntf.constant(1.0) + 1"),
        nbformat.v4.new_code_cell("import warnings\nwarnings.warn('a real warning')"),
    ]
    env = {**python_env("keras3"), **kernel_env()}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute(env=env)
    streams = [[o.get("text", "") for o in cell.outputs if o.get("name") == "stderr"] for cell in nb.cells]
    assert streams[0] == [], f"TensorFlow's start-up lines reached the notebook: {streams[0]}"
    assert any("a real warning" in text for text in streams[1]), "a Python warning must still show"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_built_page_shows_no_stderr(built_site, notebook):
    html = (built_site / "experiments" / notebook.stem / "index.html").read_text()
    stderr = re.findall(r'<div[^>]*data-mime-type="application/vnd\.jupyter\.stderr"', html)
    assert not stderr, "a cell wrote to stderr: the page shows it"
