"""MkDocs hook: publish each notebook page's source as a Jupyter notebook too.

Notebook pages are jupytext percent-format scripts under docs/experiments/ (reviewable diffs);
mkdocs-jupyter copies the script next to its page (`include_source`). This adds the same
notebook as `.ipynb` (converted by jupytext, without outputs: it runs where it is opened), the
same file that notebooks/ keeps for Colab (site_machinery/colab.py makes both).
"""

from __future__ import annotations

from mkdocs.structure.files import File, Files

from site_machinery.colab import notebook_text
from site_machinery.paths import notebooks, page_url


def on_files(files: Files, config) -> Files:
    for script in notebooks():
        notebook = notebook_text(script)
        uri = f"{page_url(script)}{script.stem}.ipynb"
        files.append(File.generated(config, uri, content=notebook))
    return files
