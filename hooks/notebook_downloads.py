"""MkDocs hook: publish each notebook page's source as a Jupyter notebook too.

Notebook pages are jupytext percent-format scripts under docs/experiments/ (reviewable diffs);
mkdocs-jupyter copies the script next to its page (`include_source`). This adds the same
notebook as `.ipynb` (converted by jupytext, without outputs: it runs where it is opened).
"""

from __future__ import annotations

import jupytext
from mkdocs.structure.files import File, Files

from site_machinery.paths import notebooks, page_url


def on_files(files: Files, config) -> Files:
    for script in notebooks():
        notebook = jupytext.writes(jupytext.read(script), fmt="ipynb")
        uri = f"{page_url(script)}{script.stem}.ipynb"
        files.append(File.generated(config, uri, content=notebook))
    return files
