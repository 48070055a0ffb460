"""MkDocs hook: notebook kernels keep C-level library chatter out of the pages.

TensorFlow's C++ runtime writes start-up lines straight to file descriptor 2 before absl's
logging is initialised, so `TF_CPP_MIN_LOG_LEVEL` cannot silence them ("All log messages before
absl::InitializeLog() is called are written to STDERR", "oneDNN custom operations are on",
"Could not find cuda drivers", "failed call to cuInit"). ipykernel captures file descriptors
1 and 2 into the notebook by default (`IPKernelApp.capture_fd_output`), so every notebook page
showed them as red stderr boxes: alarming, on a machine that has no GPU to look for.

The CPU-only wheel (`tensorflow-cpu`) would drop the CUDA lines, but tf-keras depends on
`tensorflow`, and the oneDNN line stays either way. So the kernels start with
`capture_fd_output = False` (an IPython profile in a private IPYTHONDIR): C-level output goes to
the build's own log; Python-level output, warnings included, still reaches the page, and
`tests/site/test_notebook_pages.py` fails on any stderr box.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

KERNEL_CONFIG = "c.IPKernelApp.capture_fd_output = False\n"


def kernel_env() -> dict[str, str]:
    """Environment variables under which kernels keep C-level output out of notebooks."""
    ipython_dir = Path(tempfile.mkdtemp(prefix="ipython-"))
    profile = ipython_dir / "profile_default"
    profile.mkdir()
    (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG)
    return {"IPYTHONDIR": str(ipython_dir)}


def on_config(config):
    os.environ.update(kernel_env())  # inherited by every kernel the build starts
    return config
