"""hooks/quiet_kernels.py: notebook kernels keep C-level library chatter out of the pages."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from hooks.quiet_kernels import kernel_env
from site_machinery.programs import environment


def test_kernels_keep_library_chatter_out_and_python_warnings_in():
    """Run two cells in a kernel configured as the build configures it: TensorFlow's C++
    start-up lines stay out of the notebook, a Python warning does not."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import tensorflow as tf\ntf.constant(1.0) + 1"),
        nbformat.v4.new_code_cell("import warnings\nwarnings.warn('a real warning')"),
    ]
    env = {**environment("keras3"), **kernel_env()}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute(env=env)
    streams = [[o.get("text", "") for o in cell.outputs if o.get("name") == "stderr"] for cell in nb.cells]
    assert streams[0] == [], f"TensorFlow's start-up lines reached the notebook: {streams[0]}"
    assert any("a real warning" in text for text in streams[1]), "a Python warning must still show"
