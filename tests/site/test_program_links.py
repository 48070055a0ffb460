"""Every whole program can be downloaded from under its title, all of them at once as a zip,
and opened in Colab from a site built from GitHub: the Colab notebooks under notebooks/ equal
their sources (site_machinery/colab.py), and every link points at a file that exists."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urljoin

import nbformat
import pytest

from hooks import program_links
from site_machinery import colab
from site_machinery.colab import colab_url, notebook_path, sources, sync
from site_machinery.paths import ROOT, SNIPPETS, built_page, notebooks, snippets, step_programs
from site_machinery.publishing import SNIPPETS_ZIP, snippets_zip

TITLE = re.compile(
    r'<span class="filename">(?P<name>[\w.-]+\.py) <span class="program-links"><a href="(?P<href>[^"]+)">'
)


def test_the_colab_notebooks_are_their_sources_and_valid():
    problems = sync(write=False)
    assert not problems, "run `python -m tools.colab_notebooks`:\n" + "\n".join(problems)
    for source in sources():
        nbformat.validate(nbformat.read(notebook_path(source), as_version=4))


def test_the_notebook_check_catches_a_stale_a_missing_and_an_orphan_notebook(tmp_path, monkeypatch):
    monkeypatch.setattr(colab, "FOLDER", tmp_path)
    assert len(sync(write=False)) == len(sources())  # all missing
    assert len(sync(write=True)) == len(sources())  # written
    assert not sync(write=False)
    stale = tmp_path / "snippets" / f"{snippets()[0].stem}.ipynb"
    stale.write_text(stale.read_text().replace("import", "imports", 1))
    (tmp_path / "snippets" / "gone.ipynb").write_text("{}")
    problems = sync(write=False)
    assert problems == [
        f"{colab.shown(stale)}: differs from its source",
        f"{colab.shown(tmp_path / 'snippets' / 'gone.ipynb')}: has no source",
    ]


def test_every_program_a_page_titles_gets_a_download_link_that_resolves(built_site):
    titled = 0
    for page in built_site.rglob("index.html"):
        url = page.parent.relative_to(built_site).as_posix() + "/"
        for m in TITLE.finditer(page.read_text()):
            target = built_site / urljoin(url, m["href"])
            assert target.is_file(), f"{page}: {m['name']} links {m['href']}, which is not in the site"
            assert target.read_bytes() == (SNIPPETS / m["name"]).read_bytes()
            titled += 1
    assert titled > 50, f"only {titled} titled programs have a download link"


def test_colab_links_name_committed_notebooks_and_only_on_github():
    source = SNIPPETS / "tutorial_weight_decay.py"
    span = f'<span class="filename">{source.name}</span>'
    local = program_links.links(span, "tutorial/", None, "tutorial.md")
    assert "colab" not in local and 'href="../snippets/tutorial_weight_decay.py"' in local
    github = program_links.links(span, "tutorial/", "octo/wd", "tutorial.md")
    url = "https://colab.research.google.com/github/octo/wd/blob/main/notebooks/snippets/tutorial_weight_decay.ipynb"
    assert f'href="{url}"' in github
    unknown = '<span class="filename">not_a_snippet.py</span>'
    assert program_links.links(unknown, "tutorial/", "octo/wd", "tutorial.md") == unknown
    for notebook in notebooks():
        page = program_links.links("<h1>x</h1>", "experiments/x/", "octo/wd", f"experiments/{notebook.name}")
        assert page.startswith(f'<p class="program-link"><a href="{colab_url("octo/wd", notebook)}">')
    for source in sources():
        assert notebook_path(source).is_file(), f"{source.name}: no notebook for its Colab link"


@pytest.mark.parametrize("notebook", notebooks(), ids=[p.stem for p in notebooks()])
def test_a_notebook_page_without_github_has_no_colab_link(built_site, notebook):
    page = built_page(built_site, notebook)
    assert "colab.research.google.com" not in page.read_text()
    published = page.parent / f"{notebook.stem}.ipynb"
    assert published.read_text() == notebook_path(notebook).read_text(), "download and Colab differ"


def test_the_zip_holds_every_program_as_it_is_and_is_reproducible(built_site):
    published = (built_site / SNIPPETS_ZIP).read_bytes()
    assert published == snippets_zip(), "the zip is not reproducible"
    with zipfile.ZipFile(io.BytesIO(published)) as archive:
        names = archive.namelist()
        expected = [
            f"weight-decay-snippets/{p.relative_to(SNIPPETS).as_posix()}"
            for p in [*snippets(), *step_programs()]
        ]
        assert names == expected
        for path in [*snippets(), *step_programs()]:
            assert (
                archive.read(f"weight-decay-snippets/{path.relative_to(SNIPPETS).as_posix()}")
                == path.read_bytes()
            )
    assert (ROOT / "docs" / "index.md").read_text().count(SNIPPETS_ZIP) == 1, "the home page links the zip"
