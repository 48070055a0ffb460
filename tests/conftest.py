"""Pytest glue shared by every test: markers by subject, the order tests are handed out in, and
the fixtures for the built site, the served site, the program runner and the browser.

* A test's folder is its subject and its marker (`-m programs`, `-m "not browser"`...): see
  SUBJECTS. A test that uses the built site (`built_site`, `site_url`) is also marked `site`,
  so `-m "not site"` is the fast inner loop (no build, no browser).
* One strict, offline build per session (site_machinery/site.py), shared by the xdist workers
  and started in the background when the first test of a session that needs it begins.
* The Hypothesis profiles are the checks package's own (`ci`, `thorough`:
  `HYPOTHESIS_PROFILE=thorough make test`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_machinery import site
from site_machinery.browser import CHROMIUM, CHROMIUM_ARGS
from site_machinery.programs import Runner
from tests.support.shared import shared_folder
from weight_decay_checks import settings

settings.register()

SITE_FIXTURES = {"built_site", "site_url"}
BUILD = pytest.StashKey[site.SharedBuild]()
# Each folder of tests/ is a subject, and a marker. The order the subjects are handed out in:
# with `--maxschedchunk 1` (pyproject.toml) a core takes the next test whenever it is free, so
# long tests go first, while the site builds in the background; the tests that need the site
# come after (they wait for it), the browser last; short tests even out the end of each part.
SUBJECTS = ["programs", "package", "hooks", "pages", "infrastructure", "site", "browser"]


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="the browser tests also save full-page screenshots of every page, desktop and phone "
        "width, light and dark, to test-results/screenshots/ (`make screenshots`)",
    )


def order(item) -> tuple:
    subject = Path(item.path).parent.name
    needs_site = item.get_closest_marker("site") is not None
    return (
        needs_site,  # the site's tests after the others: the build runs meanwhile
        item.get_closest_marker("browser") is not None,
        item.get_closest_marker("slow") is None,  # long ones first within each part
        SUBJECTS.index(subject) if subject in SUBJECTS else len(SUBJECTS),
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Marked before `-m` deselects (another implementation of this hook)...
    for item in items:
        subject = Path(item.path).parent.name
        if subject in SUBJECTS:
            item.add_marker(getattr(pytest.mark, subject))
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
    yield
    # ...and ordered after every plugin has had its say.
    items.sort(key=order)


@pytest.fixture(scope="session", autouse=True)
def site_build(request, tmp_path_factory):
    """The session's one build, started in the background before the first test of a session
    that has a test needing it. SITE_DIR chooses where the site goes (the deploy workflow
    uploads the very build the tests checked)."""
    if not any(item.get_closest_marker("site") for item in request.session.items):
        return None
    target = Path(os.environ["SITE_DIR"]) if os.environ.get("SITE_DIR") else None
    build = site.SharedBuild(shared_folder(tmp_path_factory), target)
    request.config.stash[BUILD] = build
    build.start()
    return build


def pytest_sessionfinish(session, exitstatus):
    if BUILD in session.config.stash:
        session.config.stash[BUILD].finish(interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)


@pytest.fixture(scope="session")
def built_site(site_build) -> Path:
    """The site built once with `mkdocs build --strict`, offline."""
    returncode, stderr = site_build.result()
    assert returncode == 0, f"strict build failed:\n{stderr[-5000:]}"
    # MkDocs' own warnings ("WARNING -  ..."), not TensorFlow's start-up chatter from notebooks.
    warnings = [line for line in stderr.splitlines() if line.startswith("WARNING -")]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    return site_build.site_dir


@pytest.fixture(scope="session")
def site_url(built_site):
    with site.serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def runner(tmp_path_factory):
    """Runs programs under a Keras (site_machinery/programs.py), with the fork servers that both
    xdist workers share; leaves them at the end (the last to leave stops them)."""
    programs = Runner(shared=shared_folder(tmp_path_factory))
    yield programs
    programs.close()


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
