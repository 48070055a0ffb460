"""The notebook pages (docs/experiments/*.py, jupytext percent format), run as scripts.

Under Keras 3 the build executes each one (tests/site/test_notebook_pages.py checks what the
page shows). Under tf-keras each runs here as a plain script (run_notebook.py): its `assert`
cells check what its captions claim, it prints the recorded output (the same file as Keras 3's:
a notebook's recording is one file), and every figure has a title, labelled axes and a caption
(the same code draws them under both Kerases).
"""

from __future__ import annotations

import json
import re

import pytest

from site_machinery.paths import notebooks, relative
from site_machinery.programs import Program
from site_machinery.recordings import Recording

pytestmark = pytest.mark.slow
NOTEBOOKS = notebooks()


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_under_tf_keras_and_its_claims_hold(notebook, runner):
    program = Program.file("tests/programs/run_notebook.py", relative(notebook), budget="notebook")
    run = runner.run(program, "tf-keras")
    assert run.returncode == 0, run.failure()
    printed, _, figures_line = run.stdout.rpartition("FIGURES ")
    figures = json.loads(figures_line)
    assert figures, f"{notebook.name} draws no figure"
    for number, axes in enumerate(figures, 1):
        for ax in axes:
            assert ax["title"] and ax["xlabel"] and ax["ylabel"], f"figure {number}: {ax}"
    problems = Recording.of_notebook(notebook).settle({"tf-keras": printed}, mode="check")
    assert not problems, "\n".join(problems)
    source = notebook.read_text()
    captions = re.findall(r"^# \*Figure (\d+)\.", source, re.M)
    assert len(captions) == source.count("plt.show()"), (
        "every figure needs a one-line caption ('*Figure N. ...*') in the Markdown cell after it"
    )
