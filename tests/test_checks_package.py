"""The weight-decay-checks package as a reader gets it: published with the site, installed from
it into a new virtual environment in a new folder, and run by the commands the verify page shows.

The reader's environment sees this project's site-packages through a .pth file (its TensorFlow,
Keras, tf-keras, Hypothesis and pytest), so nothing is downloaded: pip runs with PIP_NO_INDEX
and takes only the wheel, from the site served on 127.0.0.1. The package itself is not in that
site-packages: `import weight_decay_checks` finds the installed wheel or nothing.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.checks import CHECKS_OUTPUTS, RUN_TIMEOUT_S
from tests.support.compare import compare
from tests.support.site import published_url
from weight_decay_checks import settings, versions

PAGE_COMMANDS = re.compile(r'<h2 id="run">.*?<code>(?P<code>.*?)</code>', re.S)
WHEEL = "weight_decay_checks-0.1.0-py3-none-any.whl"


def page_commands(built_site: Path) -> list[str]:
    """The shell block under "Run them on your versions", as the copy button gives it."""
    m = PAGE_COMMANDS.search((built_site / "verify" / "index.html").read_text())
    assert m, "verify/index.html has no code block after its 'run' heading"
    text = html.unescape(re.sub(r"<[^>]+>", "", m["code"]))
    return [line for line in text.splitlines() if line.strip()]


class Reader:
    """A new folder with a new virtual environment, as a reader's project would be."""

    def __init__(self, root: Path):
        self.folder = root / "project"
        self.folder.mkdir()
        self.venv = root / "venv"
        subprocess.run(["python3", "-m", "venv", str(self.venv)], check=True, timeout=120)
        site = next((self.venv / "lib").glob("python3*/site-packages"))
        # TensorFlow and the rest come from this project's environment, not from the network.
        (site / "project-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    def env(self, **extra: str) -> dict[str, str]:
        # Not this suite's interpreter, virtual environment, pip or pytest settings (PYTEST_ADDOPTS).
        own = ("PYTHON", "VIRTUAL_ENV", "PIP_", "PYTEST_")
        keep = {k: v for k, v in os.environ.items() if not k.startswith(own)}
        return {
            **keep,
            "PATH": f"{self.venv / 'bin'}:/usr/bin:/bin",
            "VIRTUAL_ENV": str(self.venv),
            "PIP_NO_INDEX": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "TF_NUM_INTRAOP_THREADS": "1",
            **extra,
        }

    def run(self, command: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", "-c", command],
            cwd=self.folder,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )


@pytest.fixture(scope="module")
def reader(tmp_path_factory, built_site, site_url):
    """A reader who ran the page's install command against the served site (one per xdist
    worker that runs these tests: their long runs go to both cores)."""
    reader = Reader(tmp_path_factory.mktemp("reader"))
    commands = [c.replace(published_url(built_site), site_url) for c in page_commands(built_site)]
    install = commands[0]
    assert install.startswith("pip install ") and WHEEL in install, install
    proc = reader.run(install)
    assert proc.returncode == 0, f"{install}\n{proc.stdout}\n{proc.stderr}"
    reader.commands = commands[1:]
    return reader


def test_the_page_shows_install_then_two_ways_to_run(built_site):
    commands = page_commands(built_site)
    assert commands[0] == f'pip install "{published_url(built_site)}downloads/{WHEEL}"'
    assert commands[1:] == ["python -m weight_decay_checks", "python -m pytest --pyargs weight_decay_checks"]


def test_the_wheel_is_the_one_installed(reader):
    proc = reader.run("python -c 'import weight_decay_checks as w; print(w.__file__)'")
    assert proc.returncode == 0, proc.stderr
    assert str(reader.venv) in proc.stdout, f"imported from elsewhere: {proc.stdout}"


def test_the_table_command_passes_and_prints_what_the_page_shows(reader):
    proc = reader.run(reader.commands[0])
    assert proc.returncode == 0, proc.stdout + proc.stderr[-5000:]
    diff = compare((CHECKS_OUTPUTS / "run.txt").read_text(), proc.stdout)
    assert diff is None, f"`{reader.commands[0]}` printed something else than the page shows:\n{diff}"


def test_the_pytest_command_passes(reader):
    """The properties' run in this suite: the table command always uses the `ci` profile
    (unless --thorough), the pytest command follows HYPOTHESIS_PROFILE, so
    `HYPOTHESIS_PROFILE=thorough make test` runs them thoroughly here."""
    proc = reader.run(reader.commands[1])
    assert proc.returncode == 0, proc.stdout[-5000:]
    table_cases = int(re.search(r"^(\d+) passed", (CHECKS_OUTPUTS / "run.txt").read_text(), re.M)[1])
    assert re.search(rf"\b{table_cases} passed\b", proc.stdout), proc.stdout[-2000:]
    assert "failed" not in proc.stdout and "error" not in proc.stdout.lower()


def test_a_wrong_regularizer_fails_the_table_command_with_exit_1(reader):
    proc = reader.run(f"{reader.commands[0]} --mutant half_l2")
    assert proc.returncode == 1, proc.stdout
    diff = compare((CHECKS_OUTPUTS / "mutant-half_l2.txt").read_text(), proc.stdout)
    assert diff is None, diff
    assert "Falsifying example" in proc.stderr or "Failing test case" in proc.stderr  # the why


def test_a_wrong_regularizer_fails_the_pytest_command(reader):
    proc = reader.run(
        f"{reader.commands[1]} -x -k penalty_gradient", WEIGHT_DECAY_CHECKS_MUTANT="no_gradient_l2"
    )
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert re.search(r"\b1 failed\b", proc.stdout), proc.stdout[-2000:]


def fake_distribution(folder: Path, name: str, version: str) -> Path:
    """A dist-info folder that makes importlib.metadata report `name` at `version`."""
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return folder


# `python -m weight_decay_checks` where `import tensorflow` fails: the check must come first.
WITHOUT_IMPORTING_TENSORFLOW = (
    "python -c \"import runpy, sys; sys.modules['tensorflow'] = sys.modules['keras'] = None; "
    "runpy.run_module('weight_decay_checks', run_name='__main__')\""
)


def test_an_unsupported_tensorflow_exits_2_with_one_line(reader, tmp_path):
    fake = fake_distribution(tmp_path, "tensorflow", "2.15.1")
    proc = reader.run(WITHOUT_IMPORTING_TENSORFLOW, PYTHONPATH=str(fake))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip() == (
        "weight-decay-checks: TensorFlow 2.15.1 is not supported; supported: TensorFlow >= 2.16, < 3 "
        "with Keras >= 3.0 (tf-keras optional, of TensorFlow's minor version)"
    )
    proc = reader.run(reader.commands[1], PYTHONPATH=str(fake))
    assert proc.returncode != 0 and "TensorFlow 2.15.1 is not supported" in proc.stdout


def test_a_mismatched_tf_keras_is_skipped_with_the_reason(reader, tmp_path):
    fake = fake_distribution(tmp_path, "tf-keras", "2.19.0")
    proc = reader.run(f"{reader.commands[0]} --only penalty_gradient_is_2_wd_w", PYTHONPATH=str(fake))
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert re.search(r"^penalty_gradient_is_2_wd_w\s+pass\s+skipped$", proc.stdout, re.M), proc.stdout
    assert "skipped: tf-keras 2.19.0 does not match TensorFlow 2.21.0" in proc.stdout


def test_an_unknown_property_or_mutant_exits_2(reader):
    proc = reader.run(f"{reader.commands[0]} --only no_such_property")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "weight-decay-checks: no property 'no_such_property'; see --list"
    proc = reader.run(f"{reader.commands[0]} --mutant quarter_l2")
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith(
        "weight-decay-checks: no mutant 'quarter_l2'; choose one of half_l2"
    )


def test_the_command_line_knows_the_mutants_without_importing_them():
    from weight_decay_checks import __main__, mutants

    assert set(__main__.MUTANTS) == set(mutants.REGULARIZERS)
    assert __main__.MUTANT_ENVIRONMENT == mutants.ENVIRONMENT


def test_the_wheel_and_sdist_hold_the_package_and_pin_no_tensorflow(built_site):
    wheel = zipfile.ZipFile(built_site / "downloads" / WHEEL)
    names = set(wheel.namelist())
    for module in ("__init__", "__main__", "test_properties", "mutants", "settings", "versions"):
        assert f"weight_decay_checks/{module}.py" in names
    metadata = wheel.read("weight_decay_checks-0.1.0.dist-info/METADATA").decode()
    requires = re.findall(r"^Requires-Dist: (\S+)", metadata, re.M)
    assert sorted(requires) == ["hypothesis>=6.100", "numpy", "packaging", "pytest>=8"]
    with tarfile.open(built_site / "downloads" / "weight_decay_checks-0.1.0.tar.gz") as sdist:
        members = {m.split("/", 1)[1] for m in sdist.getnames() if "/" in m}
    assert {"pyproject.toml", "README.md", "src/weight_decay_checks/test_properties.py"} <= members


# --- the pieces, in-process ---------------------------------------------------------------------


def test_profile_choice_and_its_errors():
    assert settings.profile_name({}) == "ci"
    assert settings.profile_name({"HYPOTHESIS_PROFILE": "thorough"}) == "thorough"
    assert settings.profile_name({"HYPOTHESIS_PROFILE": "someone-elses"}) == "ci"
    assert (
        settings.profile_name({"WEIGHT_DECAY_CHECKS_PROFILE": "thorough", "HYPOTHESIS_PROFILE": "ci"})
        == "thorough"
    )
    with pytest.raises(ValueError, match="must be one of ci, thorough, not 'fast'"):
        settings.profile_name({"WEIGHT_DECAY_CHECKS_PROFILE": "fast"})
    with pytest.raises(ValueError, match="must be an integer, not 'x'"):
        settings.seed_value({"WEIGHT_DECAY_CHECKS_SEED": "x"})
    assert not settings.current({"WEIGHT_DECAY_CHECKS_SEED": "7"}).derandomize
    assert settings.describe({"WEIGHT_DECAY_CHECKS_SEED": "7"}) == "profile ci (30 examples, seed 7)"
    assert "shrink" in {p.name for p in settings.current({}).phases}
    assert "shrink" not in {
        p.name for p in settings.current({"WEIGHT_DECAY_CHECKS_MUTANT": "half_l2"}).phases
    }


@pytest.mark.parametrize(
    ("installed", "problem"),
    [
        ({}, "TensorFlow is not installed"),
        ({"tensorflow": "2.15.1", "keras": "2.15.0"}, "TensorFlow 2.15.1 is not supported"),
        ({"tensorflow": "3.0.0", "keras": "3.15.1"}, "TensorFlow 3.0.0 is not supported"),
        ({"tensorflow": "2.21.0"}, "Keras 3 is needed (found: not installed)"),
        ({"tensorflow-cpu": "2.21.0", "keras": "2.15.0"}, "Keras 3 is needed (found: 2.15.0)"),
        ({"tensorflow": "banana", "keras": "3.1"}, "cannot read the version of TensorFlow ('banana')"),
    ],
)
def test_unsupported_versions_are_named(monkeypatch, installed, problem):
    monkeypatch.setattr(versions, "installed", installed.get)
    with pytest.raises(versions.UnsupportedVersion, match=re.escape(problem)) as e:
        versions.check()
    assert str(e.value).endswith(f"supported: {versions.SUPPORTED}")


def test_supported_versions_and_the_tf_keras_reasons(monkeypatch):
    monkeypatch.setattr(versions, "installed", {"tensorflow-cpu": "2.16.1", "keras": "3.3.3"}.get)
    found = versions.check()
    assert found == versions.Versions("2.16.1", "3.3.3", None)
    assert "pip install 'tf-keras==2.16.*'" in versions.tf_keras_problem(found)
    assert versions.tf_keras_problem(versions.Versions("2.21.0", "3.15.1", "2.21.0")) is None
    assert "does not match" in versions.tf_keras_problem(versions.Versions("2.21.0", "3.15.1", "2.20.0"))


def test_the_package_folder_is_what_the_site_builds():
    """No copy of the properties in tests/: the suite runs the package's, from the wheel."""
    assert not list((ROOT / "tests").rglob("test_properties.py"))
    assert (ROOT / "checks" / "src" / "weight_decay_checks" / "test_properties.py").is_file()
