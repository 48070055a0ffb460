"""The notebook pages (docs/experiments/*.py, jupytext percent format).

Under Keras 3 the build executes each one (`allow_errors: false`: a failing `assert` cell fails
the strict build) and the page must show exactly the recorded output. Under tf-keras each runs
here as a plain script (`tests/support/programs/run_notebook.py`): its `assert` cells check
what its captions claim, its output is the recorded one, and every figure has a title and
labelled axes (the same code draws them under both Kerases). What each prints is recorded in
snippets/output/notebooks/ (`make record`, Keras 3, fresh interpreters) and compared by the
one rule of tests/support/compare.py. The built pages must show their figures, stay under 1 MB
and show no stderr.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from tests.support import NOTEBOOK_OUTPUTS, ROOT, notebook_files
from tests.support.compare import compare
from tests.support.run import fits_fork_server, python_env, run_python

NOTEBOOKS = notebook_files()
ONE_MEGABYTE = 1_000_000
RUNNER = ROOT / "tests" / "support" / "programs" / "run_notebook.py"
# A cell's printed text on a built page (mkdocs-jupyter renders stdout as text/plain).
PRINTED = re.compile(
    r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"[^>]*>'
    r"\s*<pre>(.*?)</pre>",
    re.S,
)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_under_tf_keras_and_its_claims_hold(notebook, fork_servers):
    run = fork_servers.run_forked if fits_fork_server(notebook) else run_python
    proc = run(RUNNER, "tf-keras", str(notebook.relative_to(ROOT)), timeout=300)
    assert proc.returncode == 0, f"{notebook.name} [tf-keras]:\n{proc.stderr[-4000:]}"
    figures = json.loads(proc.stdout.split("FIGURES ", 1)[1])
    assert figures, f"{notebook.name} draws no figure"
    for number, axes in enumerate(figures, 1):
        for ax in axes:
            assert ax["title"] and ax["xlabel"] and ax["ylabel"], f"figure {number}: {ax}"
    recorded = NOTEBOOK_OUTPUTS / f"{notebook.stem}.txt"
    assert recorded.exists(), f"no recorded output for {notebook.name}: run `make record`"
    printed = proc.stdout.split("FIGURES ", 1)[0]
    diff = compare(recorded.read_text(), printed)
    assert diff is None, f"{notebook.name} [tf-keras] printed something else:\n{diff}"
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
def test_built_page_prints_exactly_the_recorded_output(built_site, notebook):
    """The build executed the notebook under Keras 3: everything its cells printed, in order,
    is the recorded output (the rule of tests/support/compare.py, as for a script run)."""
    page = (built_site / "experiments" / notebook.stem / "index.html").read_text()
    printed = "".join(unescape(re.sub(r"<[^>]+>", "", block)) for block in PRINTED.findall(page))
    recorded = (NOTEBOOK_OUTPUTS / f"{notebook.stem}.txt").read_text()
    assert recorded.strip(), f"{notebook.name} prints nothing to compare"
    diff = compare(recorded, printed)
    assert diff is None, f"{notebook.name} [keras3, the build] printed something else:\n{diff}"


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
