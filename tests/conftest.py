"""Fixtures and collection rules shared by every test.

* Hypothesis profiles come from `tests/support/profiles.py` (`HYPOTHESIS_PROFILE=thorough`).
* `built_site`: one strict, offline build per session, shared by the xdist workers and started
  in the background as soon as they have collected (tests/support/site.py). Every test that
  uses it (directly or through `site_url`) is put under the `site` marker at collection and
  handed out after a minute of other tests (ORDER), so the build runs while they do;
  `-m "not site"` is the fast inner loop. Nobody has to remember to add the marker by hand.
* `site_url`: the built site served on 127.0.0.1.
* `fork_servers`: runs programs as `python PROGRAM` does, TensorFlow imported once per Keras
  and worker (tests/support/forkserver.py).
* The browser comes from pytest-playwright (`browser`, `new_context`), launched from Debian's
  Chromium with the flags this machine needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import profiles, site
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.run import ForkServers

profiles.load()

SITE_FIXTURES = {"built_site", "site_url"}
BUILD = pytest.StashKey[site.SharedBuild]()
# The order tests are handed out in: with `--maxschedchunk 1` (pyproject.toml) a core takes the
# next test whenever it is free, so the longest go first and the short ones even out the end.
# The checks package's long runs need the site: they come after a minute or so of the others,
# while the site builds in the background; the rest of the site's tests (browser) come last.
ORDER = [
    "test_distributed.py",
    "test_multiworker.py",
    "test_checks_package.py",
    "test_jax.py",
    "test_notebooks.py",
    "test_snippets.py",
    "test_forkserver.py",
]


def order(item) -> int:
    if item.path.name in ORDER:
        return ORDER.index(item.path.name)
    return len(ORDER) + (item.get_closest_marker("site") is not None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Marked before `-m` deselects (another implementation of this hook)...
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
    yield
    # ...and ordered after every plugin has had its say (see ORDER).
    items.sort(key=order)


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    if any(item.get_closest_marker("site") for item in session.items):
        session.config.stash[BUILD] = shared_build(session.config)
        session.config.stash[BUILD].start()


def pytest_sessionfinish(session, exitstatus):
    if BUILD in session.config.stash:
        session.config.stash[BUILD].finish(interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)


def shared_build(config) -> site.SharedBuild:
    """The session's one build, in the temporary folder every xdist worker's own folder sits in
    (pytest's `tmp_path_factory` is `config._tmp_path_factory`). SITE_DIR chooses where the
    site goes (the deploy workflow uploads the very build the tests checked)."""
    basetemp = config._tmp_path_factory.getbasetemp()
    folder = basetemp.parent if hasattr(config, "workerinput") else basetemp
    target = Path(os.environ["SITE_DIR"]) if os.environ.get("SITE_DIR") else None
    return site.SharedBuild(folder, target)


@pytest.fixture(scope="session")
def built_site(pytestconfig) -> Path:
    """The site built once with `mkdocs build --strict`, offline (tests/support/site.py)."""
    build = pytestconfig.stash.get(BUILD, None) or shared_build(pytestconfig)
    returncode, stderr = build.result()
    assert returncode == 0, f"strict build failed:\n{stderr[-5000:]}"
    # MkDocs' own warnings ("WARNING -  ..."), not TensorFlow's start-up chatter from notebooks.
    warnings = [line for line in stderr.splitlines() if line.startswith("WARNING -")]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    return build.site_dir


@pytest.fixture(scope="session")
def site_url(built_site):
    with site.serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def fork_servers():
    servers = ForkServers()
    yield servers
    servers.close()


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
