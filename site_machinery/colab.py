"""Open in Colab: the notebooks Colab opens, and the links to them.

Colab opens a notebook from GitHub by its path in the repository
(https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/PATH.ipynb); it does not open a
`.py` file, and the site's notebook pages are jupytext scripts. So the repository keeps one
generated notebook per notebook page and per whole program under notebooks/, without outputs,
and a test keeps them equal to their sources: `python -m tools.colab_notebooks` writes them and
the test runs the same code in check mode (one code path, as pydantic's docs tests do).

A program's notebook is one code cell holding the whole file, as a reader would paste it. The
programs that import the checks package (programs.WITH_PACKAGE) get none: Colab cannot install
it until it is on PyPI. The links are plain `<a>` elements: nothing is requested at page load.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import jupytext

from site_machinery.paths import ROOT, notebooks, relative, snippets
from site_machinery.programs import WITH_PACKAGE

FOLDER = ROOT / "notebooks"
BRANCH = "main"  # the branch the site is built and deployed from (.github/workflows/site.yml)
COLAB = "https://colab.research.google.com/github"


def sources() -> list[Path]:
    """Every file that gets a Colab notebook: the notebook pages and the whole programs."""
    programs = [
        path
        for path in snippets()
        if not any(fnmatch.fnmatch(relative(path), pattern) for pattern in WITH_PACKAGE)
    ]
    return [*notebooks(), *programs]


def notebook_path(source: Path) -> Path:
    """Where a source's notebook lives: notebooks/experiments/NAME.ipynb, notebooks/snippets/NAME.ipynb."""
    return FOLDER / source.parent.name / f"{source.stem}.ipynb"


def notebook_text(source: Path) -> str:
    """The notebook of a source, as committed: deterministic, so that a test can compare."""
    if source.parent.name == "experiments":
        notebook = json.loads(jupytext.writes(jupytext.read(source), fmt="ipynb"))
        for number, cell in enumerate(notebook["cells"], 1):
            cell["id"] = f"cell-{number}"  # nbformat draws random ids: fixed ones compare
        return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "cell-1",
                "metadata": {},
                "outputs": [],
                "source": source.read_text().splitlines(keepends=True),
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def shown(path: Path) -> str:
    """A notebook as messages name it: notebooks/snippets/NAME.ipynb."""
    return f"{FOLDER.name}/{path.relative_to(FOLDER).as_posix()}"


def sync(write: bool) -> list[str]:
    """Compare (or, with write, make equal) every committed notebook with its source; the
    problems found, or the files written. A notebook whose source is gone is a problem too."""
    problems = []
    expected = {notebook_path(source): notebook_text(source) for source in sources()}
    for path, text in expected.items():
        if not path.exists() or path.read_text() != text:
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
            problems.append(f"{shown(path)}: {'written' if write else 'differs from its source'}")
    for path in sorted(FOLDER.rglob("*.ipynb")):
        if path not in expected:
            if write:
                path.unlink()
            problems.append(f"{shown(path)}: {'removed' if write else 'has no source'}")
    return problems


def colab_url(repository: str, source: Path) -> str:
    """The Colab address of a source's notebook in a GitHub repository named OWNER/REPO."""
    return f"{COLAB}/{repository}/blob/{BRANCH}/{relative(notebook_path(source))}"
