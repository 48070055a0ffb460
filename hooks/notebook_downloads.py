"""MkDocs hook: publish each notebook page's source as a Jupyter notebook too.

Notebook pages are jupytext percent-format scripts under docs/experiments/ (reviewable diffs);
mkdocs-jupyter copies the script next to its page (`include_source`). This adds the same
notebook as `.ipynb` (converted by jupytext, without outputs: it runs where it is opened).
"""

from __future__ import annotations

from pathlib import Path

import jupytext
from mkdocs.structure.files import File, Files

EXPERIMENTS = Path(__file__).resolve().parent.parent / "docs" / "experiments"


def on_files(files: Files, config) -> Files:
    for script in sorted(EXPERIMENTS.glob("*.py")):
        notebook = jupytext.writes(jupytext.read(script), fmt="ipynb")
        uri = f"experiments/{script.stem}/{script.stem}.ipynb"
        files.append(File.generated(config, uri, content=notebook))
    return files
