"""MkDocs hook: publish the weight-decay-checks package with the site, and name the repository.

* Builds the package in checks/ (wheel and sdist, with hatchling, offline) at every build and
  publishes both under downloads/, with the reader's workflow file rendered for this site.
* The repository: GITHUB_REPOSITORY (set by GitHub Actions, so the deployed build names and
  links the repository it was built from), else the `origin` remote when it is on GitHub, else
  the folder the site was built from (a local build then says `git clone /that/folder`, which
  works on that machine). Only a web address becomes the header's repository link.
* Pages and the published workflow may use these tokens, replaced in the built HTML (after
  syntax highlighting, so they work inside code blocks too); a token left over fails the build:

      @@SITE_URL@@       the site's address, ending in /
      @@WHEEL_URL@@      the wheel's address on the site
      @@SDIST_URL@@      the sdist's address on the site
      @@WHEEL@@          the wheel's file name
      @@CLONE@@          what `git clone` takes: the repository's address or folder
      @@REPOSITORY@@     owner/name on GitHub, or the folder
      @@EXAMPLES_CI@@, @@EXAMPLES_THOROUGH@@ (and @@TRAINING_EXAMPLES_CI@@,
      @@TRAINING_EXAMPLES_THOROUGH@@ for properties that train a model)
                         how many examples each profile draws (weight_decay_checks/settings.py)
      @@CHECKS_REQUIREMENTS@@  the package's requirements, by name (checks/pyproject.toml)
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from site_machinery.package import PackageBuildError, build_package, package_facts
from site_machinery.paths import CHECKS
from site_machinery.publishing import repository

WORKFLOW = CHECKS / "weight-decay-checks.yml"
CHANGELOG_URI = "downloads/weight-decay-checks-changelog.txt"
TOKEN = re.compile(r"@@([A-Z_]+)@@")

_values: dict[str, str] = {}
_built: dict[str, Path] = {}


def on_config(config):
    clone, name, web = repository()
    if web:
        config.repo_url = web
        config.repo_name = name
        config.edit_uri = ""  # no "edit this page" button: the pages are not the only source
    site_url = config.site_url or "http://127.0.0.1:8000/"
    _values.clear()
    _values.update(SITE_URL=site_url.rstrip("/") + "/", CLONE=clone, REPOSITORY=name)
    _values.update(package_facts())
    return config


def on_files(files: Files, config) -> Files:
    out = Path(tempfile.mkdtemp(prefix="weight-decay-checks-"))
    try:
        _built.update(build_package(out))
    except PackageBuildError as e:
        raise PluginError(str(e)) from None
    wheel, sdist = _built["wheel"], _built["sdist"]
    downloads = _values["SITE_URL"] + "downloads/"
    _values.update(WHEEL=wheel.name, WHEEL_URL=downloads + wheel.name, SDIST_URL=downloads + sdist.name)
    for path in (wheel, sdist):
        files.append(File.generated(config, f"downloads/{path.name}", abs_src_path=str(path)))
    files.append(
        File.generated(
            config, f"downloads/{WORKFLOW.name}", content=substitute(WORKFLOW.read_text(), "workflow")
        )
    )
    # Text, not Markdown: a .md file among the site's files would become a page.
    files.append(File.generated(config, CHANGELOG_URI, abs_src_path=str(CHECKS / "CHANGELOG.md")))
    return files


def substitute(text: str, where: str, escape=False) -> str:
    def value(m: re.Match) -> str:
        if m[1] not in _values:
            raise PluginError(f"{where}: unknown token {m[0]} (known: {', '.join(sorted(_values))})")
        return html.escape(_values[m[1]]) if escape else _values[m[1]]

    return TOKEN.sub(value, text)


def on_page_content(content: str, page, config, files) -> str:
    return substitute(content, page.file.src_uri, escape=True)
