"""What the tests share: paths, the two Kerases, and where recorded outputs live.

The rest of the shared support is in this package's modules: `run` (one way to run a program
under a Keras), `compare` (one rule for recorded outputs), `site` (one build, one server, the
offline prefix), `markdown` (what pages embed), `profiles` (Hypothesis settings).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
OUTPUTS = SNIPPETS / "output"
# Notebook pages (docs/experiments/*.py) print too; what they print under Keras 3 (the build's
# Keras) is recorded here and checked against each test run and against the built page.
NOTEBOOKS = DOCS / "experiments"
NOTEBOOK_OUTPUTS = OUTPUTS / "notebooks"

# The two Kerases every program runs under: the environment that selects each for `tf.keras`.
KERASES = {
    "keras3": {"TF_USE_LEGACY_KERAS": "0"},
    "tf-keras": {"TF_USE_LEGACY_KERAS": "1"},
}


def snippet_files() -> list[Path]:
    return sorted(SNIPPETS.glob("*.py"))


def notebook_files() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.py"))


def expected_path(snippet: Path, keras: str) -> Path:
    """The recorded output a snippet must print under `keras`: NAME.<keras>.txt where the two
    Kerases print different things, NAME.txt otherwise."""
    own = OUTPUTS / f"{snippet.stem}.{keras}.txt"
    return own if own.exists() else OUTPUTS / f"{snippet.stem}.txt"
