"""Fixtures and collection rules shared by every test.

* Hypothesis profiles come from `tests/support/profiles.py` (`HYPOTHESIS_PROFILE=thorough`).
* `built_site`: one strict, offline build per session. Every test that uses it (directly or
  through `site_url`) is put in the `site` xdist group and under the `site` marker at
  collection, so all of them run on one worker after one build, and `-m "not site"` is the
  fast inner loop. Nobody has to remember to add the group by hand.
* `site_url`: the built site served on 127.0.0.1.
* The browser comes from pytest-playwright (`browser`, `new_context`), launched from Debian's
  Chromium with the flags this machine needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import profiles, site
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

profiles.load()

SITE_FIXTURES = {"built_site", "site_url"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
            item.add_marker(pytest.mark.xdist_group("site"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built with `mkdocs build --strict`, offline. SITE_DIR chooses the folder (the
    deploy workflow uploads the very build the tests checked); a temporary one otherwise."""
    target = Path(os.environ["SITE_DIR"]) if os.environ.get("SITE_DIR") else tmp_path_factory.mktemp("site")
    proc = site.build(target)
    assert proc.returncode == 0, f"strict build failed:\n{proc.stderr[-5000:]}"
    # MkDocs' own warnings ("WARNING -  ..."), not TensorFlow's start-up chatter from notebooks.
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING -")]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    return target


@pytest.fixture(scope="session")
def site_url(built_site):
    with site.serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"no browser at {CHROMIUM}: `apt-get install chromium` (.ci/run does it)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "permissions": ["clipboard-read", "clipboard-write"],
        "viewport": {"width": 1280, "height": 900},
    }
