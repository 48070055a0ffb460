"""The weight-decay-checks package as the site publishes it: its wheel and sdist, and the facts
about it the pages state (read from the package itself, never typed twice)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from site_machinery.paths import CHECKS, PACKAGE


class PackageBuildError(RuntimeError):
    pass


def build_package(out: Path) -> dict[str, Path]:
    """Wheel and sdist of checks/, built by hatchling without network or isolation
    (hatchling's archives are reproducible by default)."""
    proc = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-t", "sdist", "-d", str(out)],
        cwd=CHECKS,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise PackageBuildError(f"building the weight-decay-checks package failed:\n{proc.stderr}")
    wheel = next(out.glob("*.whl"), None)
    sdist = next(out.glob("*.tar.gz"), None)
    if wheel is None or sdist is None:
        raise PackageBuildError(f"hatchling built no wheel or sdist in {out}: {sorted(os.listdir(out))}")
    return {"wheel": wheel, "sdist": sdist}


def package_facts() -> dict[str, str]:
    """What the pages say about the package, read from the package itself: the examples per
    profile (its settings module, which imports only Hypothesis) and its requirements."""
    spec = importlib.util.spec_from_file_location("_checks_settings", PACKAGE / "settings.py")
    settings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(settings)
    facts = {}
    for name, profile in settings.PROFILES.items():
        facts[f"EXAMPLES_{name.upper()}"] = str(profile.max_examples)
        facts[f"TRAINING_EXAMPLES_{name.upper()}"] = str(settings.training_examples(profile.max_examples))
    requirements = tomllib.loads((CHECKS / "pyproject.toml").read_text())["project"]["dependencies"]
    names = ["`" + re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0] + "`" for r in requirements]
    facts["CHECKS_REQUIREMENTS"] = ", ".join(names[:-1]) + " and " + names[-1]
    facts["CHECKS_VERSION"] = package_version()
    return facts


def package_version() -> str:
    """The package's version, as its __init__.py declares it (hatchling reads it there)."""
    return re.search(r'^__version__ = "([^"]+)"$', (PACKAGE / "__init__.py").read_text(), re.M)[1]
